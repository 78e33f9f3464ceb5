import { Bench } from 'tinybench'
import { taskTime, taskWarmupTime } from './config.ts'
import { type Measurement, measureInterleaved, type RoundRunner } from './rounds.ts'

/** A function to time with tinybench. */
export interface TinyTask {
  name: string
  /** One call; may be async. */
  fn: () => unknown
  /** Operations done by one call (a batch of lookups counts each), to report time per operation. Default 1. */
  opsPerCall?: number
}

/**
 * Times `tasks` with tinybench in interleaved rounds ({@link measureInterleaved}): each gets its
 * mean time per operation in nanoseconds (the mean, not the median sample, so the cost of garbage
 * collection counts), keyed by task name.
 */
export function measureTasks(tasks: readonly TinyTask[]): Promise<Map<string, Measurement>> {
  return measureInterleaved(
    tasks.map((task) => task.name),
    tinyRoundRunner(tasks),
  )
}

/** A {@link RoundRunner} that times `tasks` with tinybench, in the order asked for. */
function tinyRoundRunner(tasks: readonly TinyTask[]): RoundRunner {
  let byName = new Map(tasks.map((task) => [task.name, task]))
  return async (order) => {
    let bench = new Bench({ time: taskTime, warmupTime: taskWarmupTime, throws: true })
    for (let name of order) {
      let task = byName.get(name)
      if (task === undefined) throw new Error(`Unknown task ${name}`)
      bench.add(name, task.fn)
    }
    await bench.run()
    let results = new Map<string, number[]>()
    for (let task of bench.tasks) {
      let result = task.result
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`)
      let opsPerCall = byName.get(task.name)?.opsPerCall ?? 1
      results.set(task.name, [(result.period * 1e6) / opsPerCall])
    }
    return results
  }
}
