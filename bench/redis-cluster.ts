import * as fs from 'node:fs'
import * as path from 'node:path'
// Imported by path: bench does not depend on @x/test-kit, whose index re-exports this module.
import { RedisCluster, type RedisNode } from '../tools/test-kit/redis-topology.ts'

/**
 * Environment variable through which the HTTP section gives a server the bench cluster's seed
 * addresses, as `host:port,host:port,…`.
 */
export const clusterSeedsVariable = 'BENCH_REDIS_CLUSTER'

/** A seed address of a cluster client. */
export interface ClusterSeed {
  host: string
  port: number
}

/** The bench's own Redis Cluster, started by {@link startBenchCluster}. */
export interface BenchCluster {
  /** Every node's address (masters and replicas), for a cluster client to discover the rest. */
  seeds: ClusterSeed[]
  /** The seeds as {@link clusterSeedsVariable} carries them. */
  seedsVariable: string
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
  let killNow = () => {
    for (let node of cluster.nodes) void node.kill() // the SIGKILL itself is synchronous
    fs.rmSync(root, { recursive: true, force: true })
  }
  let onSignal = (signal: NodeJS.Signals) => {
    killNow()
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('exit', killNow)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  let seeds = cluster.seeds
  return {
    seeds,
    seedsVariable: seeds.map(({ host, port }) => `${host}:${port}`).join(','),
    async stop() {
      process.off('exit', killNow)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await cluster.stop()
    },
  }
}

/**
 * The seeds given in {@link clusterSeedsVariable}.
 *
 * @throws {Error} when the variable is unset or holds no `host:port`.
 */
export function clusterSeedsFromEnvironment(): ClusterSeed[] {
  let seeds = (process.env[clusterSeedsVariable] ?? '')
    .split(',')
    .filter((address) => address !== '')
    .map((address) => {
      let [host = '', port = ''] = address.split(':')
      return { host, port: Number(port) }
    })
  if (seeds.length === 0 || seeds.some(({ host, port }) => host === '' || !(port > 0))) {
    throw new Error(
      `${clusterSeedsVariable} must hold host:port,…, got "${process.env[clusterSeedsVariable]}"`,
    )
  }
  return seeds
}
