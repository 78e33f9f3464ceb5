// `pnpm --filter @x/bench allocations [server...]`: what HTTP servers of the bench allocate per
// request under the HTTP section's load, from V8's own trace of its collections (see the README's
// "Allocation per request").
import { setTimeout as delay } from 'node:timers/promises'
import { httpDuration, httpWarmup } from './config.ts'
import { GcLog, type GcTotals, totalGc } from './gc-trace.ts'
import { httpServers, serverEnvironment } from './http-servers.ts'
import { runLoad } from './load.ts'
import { startLoadCoreRedis } from './load-core-redis.ts'
import { openLoadSessions } from './load-sessions.ts'
import { markdownTable } from './markdown-table.ts'
import { processCpuTime } from './process-cpu.ts'
import { startServer } from './server-process.ts'

/** Servers measured when none is named: the first is the baseline of the ratio column. */
const defaultServers = ['ceiling', 'fetch-session', 'ours-cookie', 'ours-memory', 'hono']
/** How long the server's last lines of output may take to arrive after the load, in ms. */
const outputDelay = 200

/** One server's measured run. */
interface AllocationRow {
  name: string
  requests: number
  requestsPerSecond: number
  /** Server CPU time per request, in nanoseconds. */
  cpu: number
  gc: GcTotals
}

let servers = process.argv.slice(2)
if (servers.length === 0) servers = defaultServers
let rows: AllocationRow[] = []
for (let name of servers) rows.push(await measureAllocations(name))
console.log(`\nAllocation per request under load, Node ${process.version}\n`)
console.log(allocationTable(rows))

/**
 * Starts `servers/<name>.ts` as the HTTP section does (pinned, its own redis-server for a Redis
 * row) with `--trace-gc-nvp`, opens its sessions, warms it up, and sums the collections V8 reports
 * over one measured run of the HTTP section's load.
 *
 * @throws {Error} for the Redis Cluster server (no cluster is started here), or when the server
 * does not count (`openLoadSessions`) or the load fails (`runLoad`).
 */
async function measureAllocations(name: string): Promise<AllocationRow> {
  let httpServer = httpServers.find((server) => server.file === name)
  if (httpServer?.redisCluster === true) throw new Error(`${name} needs a Redis Cluster`)
  console.log(`allocations: ${name}`)
  let redis = httpServer?.redis === true ? await startLoadCoreRedis() : undefined
  try {
    let env =
      httpServer === undefined ? {} : serverEnvironment(httpServer, { redisUrl: redis?.url })
    let log = new GcLog()
    let server = await startServer(name, {
      env,
      nodeFlags: ['--trace-gc-nvp'],
      onStdout: log.write,
    })
    try {
      let cookies = await openLoadSessions(name, server.url)
      await runLoad(server.url, cookies, httpWarmup)
      await delay(outputDelay)
      log.take()
      let cpuBefore = processCpuTime(server.pid)
      let { requests, requestsPerSecond } = await runLoad(server.url, cookies, httpDuration)
      let cpu = (processCpuTime(server.pid) - cpuBefore) / requests
      await delay(outputDelay)
      return { name, requests, requestsPerSecond, cpu, gc: totalGc(log.take()) }
    } finally {
      await server.stop()
    }
  } finally {
    await redis?.stop()
  }
}

function allocationTable(rows: readonly AllocationRow[]): string {
  let base = rows[0] as AllocationRow
  let perRequest = (row: AllocationRow, value: number) => value / row.requests
  return markdownTable(
    [
      'server',
      'req/s',
      'CPU per request',
      'allocated per request',
      'ratio',
      'promoted per request',
      'scavenges per 1,000 requests',
      'GC pauses per request',
      'young generation',
    ],
    rows.map((row) => [
      row.name,
      row.requestsPerSecond.toFixed(0),
      `${(row.cpu / 1000).toFixed(1)} µs`,
      `${(perRequest(row, row.gc.allocated) / 1024).toFixed(1)} KiB`,
      `${(row.gc.allocated / row.requests / (base.gc.allocated / base.requests)).toFixed(2)}×`,
      `${perRequest(row, row.gc.promoted).toFixed(0)} B`,
      (perRequest(row, row.gc.scavenges) * 1000).toFixed(2),
      `${(perRequest(row, row.gc.pause) * 1000).toFixed(2)} µs${row.gc.others > 0 ? ` (${row.gc.others} major)` : ''}`,
      Number.isNaN(row.gc.newSpaceCapacity)
        ? '–'
        : `${(row.gc.newSpaceCapacity / 2 ** 20).toFixed(1)} MiB`,
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  )
}
