import { clusterSeedsEnvironment } from './cluster-seeds.ts'
import { httpConnections, httpDuration, httpWarmup } from './config.ts'
import { ceilingLabel, httpServers } from './http-servers.ts'
import { runLoad } from './load.ts'
import { deleteBenchKeys } from './redis-cleanup.ts'
import { type BenchCluster, startBenchCluster } from './redis-cluster.ts'
import type { ResultTable } from './result-table.ts'
import { measureInterleaved } from './rounds.ts'
import { type ServerProcess, startServer } from './server-process.ts'
import { formatMilliseconds, formatRate } from './units.ts'
import { verifyCounter } from './verify-counter.ts'

/**
 * HTTP on loopback: every server in its own process, checked to really count, then loaded in
 * interleaved rounds (warm-up, then a measured run). Ratios are to the bare `node:http` ceiling.
 * The Redis Cluster server gets a cluster started for this section and stopped at its end.
 */
export async function runHttp(log: (line: string) => void): Promise<ResultTable> {
  await deleteBenchKeys()
  let servers: ServerProcess[] = []
  let cluster: BenchCluster | undefined
  try {
    if (httpServers.some((server) => server.redisCluster)) {
      log('  http: starting a Redis Cluster (3 masters, 3 replicas)')
      cluster = await startBenchCluster()
    }
    let clusterEnv = clusterSeedsEnvironment(cluster?.seeds ?? [])
    let started = await Promise.allSettled(
      httpServers.map((server) =>
        startServer(server.file, server.redisCluster ? { env: clusterEnv } : {}),
      ),
    )
    // Every server that did start is stopped (in `finally`) even when another one failed to.
    servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    let failed = started.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    let cookies = new Map<string, string>()
    for (let [index, server] of servers.entries()) {
      let label = httpServers[index]?.label as string
      cookies.set(label, await verifyCounter(label, server.url))
    }
    let byLabel = new Map(servers.map((server, index) => [httpServers[index]?.label, server]))
    let measurements = await measureInterleaved(
      httpServers.map((server) => server.label),
      async (order) => {
        let results = new Map<string, number[]>()
        for (let label of order) {
          let server = byLabel.get(label) as ServerProcess
          let cookie = cookies.get(label) as string
          log(`  http: ${label}`)
          await runLoad(server.url, cookie, httpWarmup)
          let { requestsPerSecond, p99 } = await runLoad(server.url, cookie, httpDuration)
          results.set(label, [requestsPerSecond, p99])
        }
        return results
      },
    )
    return {
      title: 'HTTP with a signed-cookie session (loopback)',
      description: `Each server in its own process; autocannon in the parent with ${httpConnections} connections, ${httpWarmup} s warm-up then ${httpDuration} s measured per run, every request carrying the session cookie of a first request, each response incrementing the counter and setting the cookie. **req/s**: rate relative to the ceiling (higher is better). **p99**: 99th percentile latency relative to the ceiling (lower is better).`,
      rows: httpServers.map((server) => server.label),
      columns: [
        { label: 'req/s', kind: 'rate', format: formatRate, baseline: ceilingLabel, measurements },
        {
          label: 'p99 latency',
          kind: 'cost',
          format: formatMilliseconds,
          baseline: ceilingLabel,
          metric: 1,
          measurements,
        },
      ],
      notes: [
        'All 50 connections carry the same session, as a first request gave it. Server-side storages of ours take a per-session lock for saves (concurrent saves of one session are merged, not lost), so this is their worst case; express-session and connect-redis write without one (last write wins).',
        'The load generator shares the 2 cores with the server (and, for the Redis rows, with redis-server; for the Redis Cluster row, six of them: 3 masters and 3 replicas, started for this table).',
        'Redis Cluster: the server is given an ioredis `Cluster` (fail fast, as the session README shows). With one session under load, every request goes to the one master holding its key (and that master to its replica): the row measures the cluster client and replication, not the spread of load over masters.',
        'autocannon records latency in whole milliseconds, so small p99 values move in steps of 1 ms.',
      ],
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    await cluster?.stop()
    await deleteBenchKeys()
  }
}
