import { type BenchCluster, startBenchCluster } from './redis-cluster.ts'
import type { ResultTable } from './result-table.ts'
import { storageBaseline, storageContenders } from './session-storages.ts'
import type { OpenStorage } from './storage-contender.ts'
import { storageTask } from './storage-task.ts'
import { timeColumn } from './time-column.ts'
import { measureTasks, type TinyTask } from './tiny.ts'

/**
 * One request's worth of session work per storage: read the typical session from its cookie
 * value, change one key, save it (signing the cookie is timed separately). Starts a Redis Cluster
 * of its own for the Cluster rows and stops it at the end (its keys go with it).
 */
export async function runStorageBench(log: (line: string) => void): Promise<ResultTable> {
  let opened: OpenStorage[] = []
  let cluster: BenchCluster | undefined
  try {
    log('  session: starting a Redis Cluster (3 masters, 3 replicas)')
    cluster = await startBenchCluster()
    let tasks: TinyTask[] = []
    for (let contender of storageContenders) {
      let open = await contender.open({ clusterSeeds: cluster.seeds })
      opened.push(open)
      tasks.push(await storageTask(contender.name, open.storage))
    }
    log('  session: read + save per storage')
    let measurements = await measureTasks(tasks)
    return {
      title: 'Session read + save, per storage',
      description: `A typical session (a user id, a Date, a 3-line cart, a Map, a number): \`read(cookieValue)\`, change one key, \`save()\`. Each cell: speed relative to **${storageBaseline}** (higher is faster), then the median time. Remix's storages serialize with JSON (a Date or Map does not survive), ours with devalue; Remix has no Redis, PostgreSQL or unstorage storage.`,
      notes: [
        '**ours Redis** connects by `url` (its own node-redis connection) to the standalone Redis at `REDIS_URL`. **ours Redis Cluster** is given a connected client (`client`: an ioredis `Cluster` or a node-redis `createCluster`, both set to fail fast as the session README shows) of a Redis Cluster this table starts for itself: 3 masters and 3 replicas on loopback, sharing the 2 cores. Both are two round trips per read + save (`HGETALL`, then the save script); the cluster client routes each to the master that holds the session key, which also sends the write to its replica.',
        '**ours PostgreSQL** is given a connected client (`client`: postgres.js or a node-postgres `Pool`, 4 connections) of the PostgreSQL at `DATABASE_URL`, on a table of its own that it creates (`bench_sessions_*`, dropped at the end). **ours unstorage** is `createStorage({ driver })` of unstorage with its memory driver, its fs driver (a temporary directory) and its redis driver (ioredis, the Redis at `REDIS_URL`).',
      ],
      rows: tasks.map((task) => task.name),
      columns: [timeColumn('read + save', storageBaseline, measurements)],
    }
  } finally {
    for (let open of opened) await open.close()
    await cluster?.stop()
  }
}
