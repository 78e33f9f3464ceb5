import { createRedisSessionStorage } from '@x/session/redis-storage'
import { Cluster } from 'ioredis'
import { clusterSeedsFromEnvironment } from '../redis-cluster.ts'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// @x/fetch-router + session() + Redis storage on the bench's Redis Cluster (seeds in
// BENCH_REDIS_CLUSTER), given an ioredis Cluster set to fail fast as the session README shows.
let client = new Cluster(clusterSeedsFromEnvironment(), {
  enableOfflineQueue: false,
  redisOptions: { maxRetriesPerRequest: 0 },
})
await new Promise((resolve) => client.once('ready', resolve))
let storage = createRedisSessionStorage(client, { keyPrefix: 'bench:x-session:' })
let router = createOursApp(storage)
serveFetch(
  (request) => router.fetch(request),
  () => client.disconnect(),
)
