import { clusterSeedsEnvironment } from './cluster-seeds.ts'
import { httpConnections, httpDuration, httpWarmup, loadSessionCount } from './config.ts'
import { loadCore, pinningAvailable } from './cpu-pinning.ts'
import { ceilingLabel, httpServers, serverEnvironment } from './http-servers.ts'
import { runLoad } from './load.ts'
import { type LoadCoreRedis, startLoadCoreRedis } from './load-core-redis.ts'
import { openLoadSessions } from './load-sessions.ts'
import { coreTicks, processCpuTime } from './process-cpu.ts'
import { type BenchCluster, startBenchCluster } from './redis-cluster.ts'
import { openRedisCpuReader, type RedisCpuReader } from './redis-cpu.ts'
import type { ResultTable } from './result-table.ts'
import { measureInterleaved } from './rounds.ts'
import { type ServerProcess, startServer } from './server-process.ts'
import { formatMilliseconds, formatNanoseconds, formatRate } from './units.ts'

/**
 * HTTP on loopback: every server in its own process (on this process's Node), checked to really
 * count, then loaded with wrk in interleaved rounds (warm-up, then a measured run that also reads
 * the server's CPU time). Ratios are to the bare `node:http` ceiling. The Redis servers get a
 * redis-server on the load generator's core, and the Redis Cluster server a cluster, each started
 * for this section and stopped at its end.
 */
export async function runHttp(log: (line: string) => void): Promise<ResultTable> {
  let servers: ServerProcess[] = []
  let cluster: BenchCluster | undefined
  let redis: LoadCoreRedis | undefined
  try {
    if (httpServers.some((server) => server.redisCluster)) {
      log('  http: starting a Redis Cluster (3 masters, 3 replicas)')
      cluster = await startBenchCluster()
    }
    if (httpServers.some((server) => server.redis)) {
      log('  http: starting a redis-server on the load generator’s core')
      redis = await startLoadCoreRedis()
    }
    let environments = {
      clusterEnv: clusterSeedsEnvironment(cluster?.seeds ?? []),
      redisUrl: redis?.url,
    }
    let started = await Promise.allSettled(
      httpServers.map((server) =>
        startServer(server.file, { env: serverEnvironment(server, environments) }),
      ),
    )
    // Every server that did start is stopped (in `finally`) even when another one failed to.
    servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    let failed = started.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    let measurements = await measureServers(servers, redis, log)
    return httpTable(measurements)
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    // Both stop even if one fails, and never in place of the section's own error (each also
    // dies with this process).
    await Promise.allSettled([cluster?.stop(), redis?.stop()])
  }
}

/**
 * Checks that each server counts, then measures them interleaved: per run, req/s, p99 latency in
 * milliseconds, the server's CPU time per request in nanoseconds (its CPU time read before and
 * after wrk's run, divided by the responses) and, for a server on `redis`, redis-server's CPU
 * time per request read the same way (`NaN` for the others).
 */
async function measureServers(
  servers: ServerProcess[],
  redis: LoadCoreRedis | undefined,
  log: (line: string) => void,
) {
  let sessions = new Map<string, string[]>()
  for (let [index, server] of servers.entries()) {
    let label = httpServers[index]?.label as string
    sessions.set(label, await openLoadSessions(label, server.url))
  }
  let byLabel = new Map(servers.map((server, index) => [httpServers[index]?.label, server]))
  let onRedis = new Set(httpServers.filter((server) => server.redis).map((server) => server.label))
  let redisCpu = redis === undefined ? undefined : await openRedisCpuReader(redis.url)
  try {
    return await measureInterleaved(
      httpServers.map((server) => server.label),
      async (order) => {
        let results = new Map<string, number[]>()
        for (let label of order) {
          let server = byLabel.get(label) as ServerProcess
          let cookies = sessions.get(label) as string[]
          log(`  http: ${label}`)
          await runLoad(server.url, cookies, httpWarmup)
          let reader = onRedis.has(label) ? redisCpu : undefined
          results.set(label, await measuredRun(server, cookies, reader))
        }
        return results
      },
    )
  } finally {
    redisCpu?.close()
  }
}

/**
 * One measured run: req/s, p99, server CPU and redis-server CPU per request (see above), and, for
 * a Redis row with pinning, the share of wrk's core that was busy (wrk and redis-server; `NaN`
 * otherwise).
 */
async function measuredRun(
  server: ServerProcess,
  cookies: string[],
  redisCpu: RedisCpuReader | undefined,
): Promise<number[]> {
  let redisBefore = await redisCpu?.read()
  let loadCoreBefore = redisCpu !== undefined && pinningAvailable ? coreTicks(loadCore) : undefined
  let cpuBefore = processCpuTime(server.pid)
  let { requestsPerSecond, p99, requests } = await runLoad(server.url, cookies, httpDuration)
  let cpuPerRequest = (processCpuTime(server.pid) - cpuBefore) / requests
  let loadCoreAfter = loadCoreBefore === undefined ? undefined : coreTicks(loadCore)
  let redisAfter = await redisCpu?.read()
  let redisPerRequest =
    redisBefore === undefined || redisAfter === undefined
      ? Number.NaN
      : (redisAfter - redisBefore) / requests
  let loadCoreBusy =
    loadCoreBefore === undefined || loadCoreAfter === undefined
      ? Number.NaN
      : (loadCoreAfter.busy - loadCoreBefore.busy) / (loadCoreAfter.total - loadCoreBefore.total)
  return [requestsPerSecond, p99, cpuPerRequest, redisPerRequest, loadCoreBusy]
}

function httpTable(measurements: Awaited<ReturnType<typeof measureServers>>): ResultTable {
  let pinning = pinningAvailable
    ? 'wrk (one thread) pinned to one core and each server (all its threads) to the other'
    : 'wrk (one thread) and the servers unpinned (fewer than 2 cores)'
  return {
    title: 'HTTP with a signed-cookie session (loopback)',
    description: `Each server in its own process; ${pinning}; ${httpConnections} connections, ${httpWarmup} s warm-up then ${httpDuration} s measured per run. Each server first opens ${loadSessionCount} sessions; every request carries the cookie of one of them, and a cookie a response sets is sent back by exactly one later request (see the notes for when sessions are taken in turn), so each request reads its session, increments its counter and re-signs the cookie (or, with a server storage, saves the session). **req/s**: rate relative to the ceiling (higher is better). **p99**: 99th percentile latency relative to the ceiling (lower is better). **server CPU per request**: the server process's CPU time (user + system, every thread) over the measured run divided by its responses, as a speed relative to the ceiling (higher is better: 0.50× uses twice the ceiling's CPU per request).`,
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
      {
        label: 'server CPU per request',
        kind: 'time',
        format: formatNanoseconds,
        baseline: ceilingLabel,
        metric: 2,
        measurements,
      },
    ],
    notes: [
      'The Fetch handler row is the ceiling’s hand-written session in a hand-written Fetch handler on @hono/node-server (no router, no middleware): the distance between it and the ceiling is what the Fetch API layer costs; the distance from it to ours is what our router and session cost.',
      'The hand-written session cookie row is that Fetch handler with a cookie like ours + cookie storage’s (a random id, the data and the session’s creation and last-use times as JSON, base64url and HMAC, plus `Cache-Control: private, no-store`), with no router, library, expiry or schema checks: the distance from it to ours + cookie storage is what our router, middleware, session and cookie storage cost over the cookie’s own work.',
      'The Redis floor row is the ceiling with the counter kept in Redis: the cookie carries a signed session id (sent for a new session only, as our server storages send theirs), and each request runs the two round trips of our Redis storage on the same client (`HGETALL`, then a script that writes the counter and the last use and renews the key’s expiry; node-redis `sendCommand`, no command timeout) with nothing else: no router, no Fetch layer, no lock, no merge or expiry checks, no devalue. The distance from it to ours + Redis storage is what our router, session and storage cost over the same Redis client and round trips.',
      'The thinnest Redis storage row is a prototype, not a storage to use: ours + Redis storage’s app (router, `session()` middleware, `commitSession`) over a `SessionStorage` written for the bench that runs the Redis floor’s two round trips and nothing else (the counter as a plain hash field, no devalue, no command timeout, no merge, no expiry or schema checks, no user index, no retired ids). It is what ours + Redis storage would serve if the storage’s guarantees cost nothing: the distance from the Redis floor to it is what the Fetch layer, the router and the session middleware cost; from it to ours + Redis storage, what the Redis storage’s guarantees cost.',
      `The sessions go round: a server that sends the cookie on every response (the ceiling, both Fetch handlers, Hono, ours + cookie storage, Remix, and express-session, which re-sends it whenever the session changed) keeps at most ${httpConnections} of them in use, each request carrying the cookie its session’s previous response set; one that sends it only for a new session and at renewals (ours with a server storage, the Redis floor) gets the ${loadSessionCount} in turn, each coming back after ${loadSessionCount - 1} other requests were sent, so it shares the server with its previous request only if that one is still unanswered by then (about the p99 latency at these rates). So caches of recently seen cookie values hit as they would with that many clients: ours keeps 128 values it wrote per cookie, where a value the cookie storage wrote, back after about ${httpConnections - 1} other writes, is found (not verified or parsed again), and 256 it read, where a simulation over the ${loadSessionCount} sessions in turn finds 44% of the memory row’s ids verified already; a busy server’s users come back after thousands of other requests, and miss both. The ceiling’s, the first Fetch handler’s and Hono’s cookies hold the counter alone (no session id, no expiry), so their sessions carry equal cookies, about a third the size of ours + cookie storage’s (an id, the data, its creation and last use): their responses are about 140 bytes shorter.`,
      'CPU time is `utime + stime` of `/proc/<pid>/stat`, in clock ticks (10 ms): over a measured run of several seconds that is well under 1% of it. redis-server’s CPU time is not in it: a Redis row’s server waits for Redis, which shows in its req/s and p99, not in its CPU column.',
      redisCpuNote(measurements),
      redisPlacementNote(),
      'Redis Cluster: the server is given an ioredis `Cluster` (fail fast, as the session README shows). The sessions’ keys spread over the three masters by hash slot (each master’s writes go on to its replica), all on the same two cores.',
    ],
  }
}

/** The note saying where the Redis rows' redis-server and the Redis Cluster nodes run. */
function redisPlacementNote(): string {
  let cluster =
    'The Redis Cluster row’s six nodes (3 masters and 3 replicas, also started for this table) are not pinned: they share both cores with wrk and the server, so that row’s req/s may fall further behind the ceiling than its server CPU column does, and it is not placed as the standalone Redis row is.'
  if (!pinningAvailable)
    return `The Redis rows (the Redis floor, ours, the thinnest Redis storage, connect-redis) use a redis-server started for this table, unpinned. ${cluster}`
  return `The Redis rows (the Redis floor, ours, the thinnest Redis storage, connect-redis) use a redis-server started for this table and pinned to wrk’s core, so the server’s core runs the server alone, as it would with Redis on another machine (but with no network between them); the CPU Redis spends (note above) is taken from wrk’s core, and ours spends more of it than the floor and connect-redis: it no longer competes with the server for its core, but the server still waits for it, which shows in req/s and p99, not in the CPU column. ${cluster}`
}

/** The note giving redis-server's own CPU time per request, median over each Redis row's runs. */
function redisCpuNote(measurements: Awaited<ReturnType<typeof measureServers>>): string {
  let rows = httpServers
    .filter((server) => server.redis)
    .map((server) => {
      let perRequest = measurements.get(server.label)?.medians[3]
      let runs = measurements
        .get(server.label)
        ?.runs.map((run) => formatNanoseconds(run[3] as number))
      if (perRequest === undefined || Number.isNaN(perRequest)) return `${server.label} –`
      let busy = measurements.get(server.label)?.medians[4]
      let busyShare =
        busy === undefined || Number.isNaN(busy)
          ? ''
          : `; wrk’s core busy ${(busy * 100).toFixed(0)}% of the time`
      return `${server.label} ${formatNanoseconds(perRequest)} (runs: ${runs?.join(', ')}${busyShare})`
    })
  return `redis-server’s own CPU time per request (\`used_cpu_user + used_cpu_sys\` of \`INFO cpu\`, read around each measured run; median): ${rows.join('; ')}. The Redis Cluster row’s nodes are not read.`
}
