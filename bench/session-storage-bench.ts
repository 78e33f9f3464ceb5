import { runJsonScript } from './child-script.ts'
import { clusterSeedsEnvironment } from './cluster-seeds.ts'
import { type BenchCluster, startBenchCluster } from './redis-cluster.ts'
import type { ResultTable } from './result-table.ts'
import { measureInterleaved, type RoundRunner } from './rounds.ts'
import { storageBaseline, storageContenders } from './session-storages.ts'
import { timeColumn } from './time-column.ts'

/**
 * One request's worth of session work per storage: read the typical session from its cookie
 * value, change one key, save it (signing the cookie is timed separately). Each storage is timed
 * in a process of its own (storage-task-child.ts, after a second of unreported runs), as a server
 * runs one: in one process, our storages share their core (the server-storage code every one of
 * them runs), whose call sites then see every storage's objects, and each one is slower than alone
 * (memory: 0.98 µs instead of 0.87 µs on Node 26, where Remix's self-contained memory storage
 * stays at 0.85 µs). Starts a Redis Cluster of its own for the Cluster rows and stops it at the
 * end (its keys go with it).
 */
export async function runStorageBench(log: (line: string) => void): Promise<ResultTable> {
  let cluster: BenchCluster | undefined
  try {
    log('  session: starting a Redis Cluster (3 masters, 3 replicas)')
    cluster = await startBenchCluster()
    log('  session: read + save per storage, each in a process of its own')
    let names = storageContenders.map((contender) => contender.name)
    let measurements = await measureInterleaved(names, childRoundRunner(cluster))
    return {
      title: 'Session read + save, per storage',
      description: `A typical session (a user id, a Date, a 3-line cart, a Map, a number): \`read(cookieValue)\`, change one key, \`save()\`. Each cell: speed relative to **${storageBaseline}** (higher is faster), then the median time. Remix's storages serialize with JSON (a Date or Map does not survive), ours with devalue; Remix has no Redis, PostgreSQL or unstorage storage. Each storage is timed in a Node process of its own, as a server runs one storage: in one process our storages share their core code, and each is slower for the others' sake (memory: 0.98 instead of 0.87 µs on Node 26 in a test of this, while Remix's self-contained memory storage stays at 0.85 µs). Each process loads every contender's modules, node-redis and ioredis among them: both subclass \`String\`, after which V8 makes every \`String.prototype\` method call in the process slower (a server using either pays it too).`,
      notes: [
        '**ours Redis** connects by `url` (its own node-redis connection) to the standalone Redis at `REDIS_URL`. **ours Redis Cluster** is given a connected client (`client`: an ioredis `Cluster` or a node-redis `createCluster`, both set to fail fast as the session README shows) of a Redis Cluster this table starts for itself: 3 masters and 3 replicas on loopback, sharing the 2 cores. Both are two round trips per read + save (`HGETALL`, then the save script); the cluster client routes each to the master that holds the session key, which also sends the write to its replica.',
        '**ours PostgreSQL** is given a connected client (`client`: postgres.js or a node-postgres `Pool`, 4 connections) of the PostgreSQL at `DATABASE_URL`, on a table of its own that it creates (`bench_sessions_*`, dropped at the end). **ours unstorage** is `createStorage({ driver })` of unstorage with its memory driver, its fs driver (a temporary directory) and its redis driver (ioredis, the Redis at `REDIS_URL`).',
      ],
      rows: names,
      columns: [timeColumn('read + save', storageBaseline, measurements)],
    }
  } finally {
    await cluster?.stop()
  }
}

/** A round: each storage named, in order, timed by a child process of its own. */
function childRoundRunner(cluster: BenchCluster): RoundRunner {
  let env = clusterSeedsEnvironment(cluster.seeds)
  return async (order) => {
    let results = new Map<string, number[]>()
    for (let name of order) {
      let { mean } = await runJsonScript<{ mean: number }>('storage-task-child.ts', [name], { env })
      results.set(name, [mean])
    }
    return results
  }
}
