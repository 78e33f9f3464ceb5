import * as fs from 'node:fs'
import * as path from 'node:path'
import { RedisCluster, type RedisNode } from '@x/test-kit'
import type { ClusterSeed } from './cluster-seeds.ts'
import { cleanUpOnExit } from './exit-cleanup.ts'

/** The bench's own Redis Cluster, started by {@link startBenchCluster}. */
export interface BenchCluster {
  /** Every node's address (masters and replicas), for a cluster client to discover the rest. */
  seeds: ClusterSeed[]
  /** Kills every node's process group and deletes their directories (keys and nodes.conf). */
  stop(): Promise<void>
}

/**
 * Starts a Redis Cluster of 3 masters and 3 replicas on free loopback ports (`RedisCluster` of
 * tools/test-kit, no persistence), for the Redis Cluster rows. Its nodes run detached, so they
 * would outlive this process: besides `stop()`, they are killed and their directories deleted
 * when this process exits or gets SIGINT or SIGTERM first.
 *
 * @throws {Error} when `redis-server` or `redis-cli` is missing or the cluster does not form.
 */
export async function startBenchCluster(): Promise<BenchCluster> {
  let cluster = await RedisCluster.start()
  // Each node's directory is <root>/<port>; the root is what `cluster.stop()` deletes.
  let root = path.dirname((cluster.nodes[0] as RedisNode).directory)
  let withdraw = cleanUpOnExit(() => {
    for (let node of cluster.nodes) void node.kill() // the SIGKILL itself is synchronous
    fs.rmSync(root, { recursive: true, force: true })
  })
  return {
    seeds: cluster.seeds,
    async stop() {
      await cluster.stop()
      withdraw()
    },
  }
}
