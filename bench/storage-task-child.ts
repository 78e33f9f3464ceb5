import { Bench } from 'tinybench'
import { clusterSeedsFromEnvironment } from './cluster-seeds.ts'
import { taskTime, taskWarmupTime } from './config.ts'
import { storageContenders } from './session-storages.ts'
import { storageTask } from './storage-task.ts'
import type { TinyTask } from './tiny.ts'

// Run by session-storage-bench.ts, once per storage and round: opens the storage named by the
// first argument (the cluster's seeds in the environment), times its read + save with tinybench
// and prints the mean time per operation, in nanoseconds, as JSON. A process per storage, as a
// server has one: see runStorageBench.
let name = process.argv[2]
let contender = storageContenders.find((candidate) => candidate.name === name)
if (contender === undefined) throw new Error(`Unknown storage "${name}"`)
let open = await contender.open({ clusterSeeds: clusterSeedsFromEnvironment() })
try {
  let task = await storageTask(contender.name, open.storage)
  // Runs not reported, for a second at least: tinybench's warm-up alone ends before V8 has
  // optimised the code, and the first runs of a fresh process read up to 1.5 times the time of
  // the later ones (the first run for every storage; the second too for some, ours cookie among them).
  let warmUntil = performance.now() + 1000
  while (performance.now() < warmUntil) await timeTask(task)
  console.log(JSON.stringify({ mean: await timeTask(task) }))
} finally {
  await open.close()
}

/** The mean time of one operation of `task` over a tinybench run, in nanoseconds. */
async function timeTask(task: TinyTask): Promise<number> {
  let bench = new Bench({ time: taskTime, warmupTime: taskWarmupTime, throws: true })
  bench.add(task.name, task.fn)
  await bench.run()
  let result = bench.tasks[0]?.result
  if (result?.state !== 'completed') throw new Error(`${task.name}: ${result?.state}`)
  return result.period * 1e6
}
