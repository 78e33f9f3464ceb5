import { Cluster } from 'ioredis'
import type { ClusterSeed } from './cluster-seeds.ts'

/**
 * An ioredis `Cluster` on `seeds`, configured as the session README shows (fail fast: no offline
 * queue, no retried commands), once it is ready.
 *
 * @throws {Error} the client's first error when it fails before it is ready.
 */
export async function connectIoredisCluster(seeds: readonly ClusterSeed[]): Promise<Cluster> {
  let client = new Cluster([...seeds], {
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 0 },
  })
  await new Promise<void>((resolve, reject) => {
    client.once('error', reject)
    client.once('ready', () => {
      client.off('error', reject)
      resolve()
    })
  })
  return client
}
