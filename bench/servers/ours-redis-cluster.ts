import { createRedisSessionStorage } from '@x/session/redis-storage'
import { clusterSeedsFromEnvironment } from '../cluster-seeds.ts'
import { connectIoredisCluster } from '../ioredis-cluster.ts'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// @x/fetch-router + session() + Redis storage on the bench's Redis Cluster (seeds in
// BENCH_REDIS_CLUSTER), given an ioredis Cluster set to fail fast as the session README shows.
let client = await connectIoredisCluster(clusterSeedsFromEnvironment())
let storage = createRedisSessionStorage(client, { keyPrefix: 'bench:x-session:' })
let router = createOursApp(storage)
serveFetch(
  (request) => router.fetch(request),
  () => client.disconnect(),
)
