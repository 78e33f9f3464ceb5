/**
 * Environment variable through which the HTTP section gives a server the bench cluster's seed
 * addresses, as `host:port,host:port,…`.
 */
const clusterSeedsVariable = 'BENCH_REDIS_CLUSTER'

/** A seed address of a cluster client. */
export interface ClusterSeed {
  host: string
  port: number
}

/** The environment that gives a server process `seeds` (see {@link clusterSeedsFromEnvironment}). */
export function clusterSeedsEnvironment(seeds: readonly ClusterSeed[]): Record<string, string> {
  return { [clusterSeedsVariable]: seeds.map(({ host, port }) => `${host}:${port}`).join(',') }
}

/**
 * The seeds given by {@link clusterSeedsEnvironment}, in a server process.
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
