import { Bench } from 'tinybench'
import { taskTime, taskWarmupTime } from './config.ts'
import type { RoundRunner } from './rounds.ts'

/** A function to time with tinybench. */
export interface TinyTask {
  name: string
  /** One call; may be async. */
  fn: () => unknown
  /** Operations done by one call (a batch of lookups counts each), to report time per operation. Default 1. */
  opsPerCall?: number
}

/**
 * A {@link RoundRunner} that times `tasks` with tinybench, in the order asked for, and gives each
 * its mean time per operation in nanoseconds (the mean, not the median sample, so the cost of
 * garbage collection counts).
 */
export function tinyRoundRunner(tasks: readonly TinyTask[]): RoundRunner {
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
