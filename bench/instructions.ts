// `pnpm --filter @x/bench instructions [server...]`: instructions per request of HTTP servers of the
// bench, counted by valgrind's callgrind rather than timed, so that a change can be measured on a
// machine too noisy for `pnpm bench` (see the README's "Instructions per request").
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCallgrindServer } from './callgrind-server.ts'
import { readInstructionCounts } from './callgrind-totals.ts'
import { httpServers, serverEnvironment } from './http-servers.ts'
import { startLoadCoreRedis } from './load-core-redis.ts'
import { markdownTable } from './markdown-table.ts'
import { sendSequentially } from './sequential-load.ts'
import { verifyCounter } from './verify-counter.ts'

/** Servers measured when none is named: the ceiling first (every ratio's baseline). */
const defaultServers = ['ceiling', 'fetch-handwritten', 'ours-cookie', 'ours-memory', 'hono']
/** Requests before the counters start: enough for V8 to have optimised the request path. */
const warmup = Number(process.env.INSTRUCTIONS_WARMUP ?? 3000)
/** Requests counted. */
const measured = Number(process.env.INSTRUCTIONS_REQUESTS ?? 2000)

for (let tool of ['valgrind', 'callgrind_control']) {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' })
  } catch {
    throw new Error(`${tool} is missing: install valgrind (apt-get install valgrind)`)
  }
}
let servers = process.argv.slice(2)
if (servers.length === 0) servers = defaultServers
let directory = mkdtempSync(join(tmpdir(), 'bench-instructions-'))
let rows: InstructionRow[] = []
try {
  for (let name of servers) rows.push(await countInstructions(name, directory))
} finally {
  rmSync(directory, { recursive: true, force: true })
}
let base = rows[0] as { total: number }
let thousands = (value: number) => `${(value / 1000).toFixed(1)}k`
console.log(`\nInstructions per request, Node ${process.version} (ratio: to ${servers[0]})\n`)
console.log(
  markdownTable(
    ['server', 'per request', 'ratio', 'garbage collection', 'the rest'],
    rows.map((row) => [
      row.name,
      thousands(row.total),
      `${(row.total / base.total).toFixed(2)}×`,
      thousands(row.gc),
      thousands(row.total - row.gc),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  ),
)

/** A server's instructions per counted request: all of them, and those of garbage collection. */
interface InstructionRow {
  name: string
  total: number
  gc: number
}

/**
 * Counts `servers/<name>.ts` under callgrind (dumps in `directory`): warm-up, then the counted
 * requests. A Redis server of the HTTP section gets a redis-server of its own, as there.
 */
async function countInstructions(name: string, directory: string): Promise<InstructionRow> {
  console.log(`instructions: ${name} (${warmup} requests of warm-up, ${measured} counted)`)
  let httpServer = httpServers.find((server) => server.file === name)
  let redis = httpServer?.redis === true ? await startLoadCoreRedis() : undefined
  try {
    let env =
      httpServer === undefined ? {} : serverEnvironment(httpServer, { redisUrl: redis?.url })
    let server = await startCallgrindServer(name, directory, env)
    try {
      let cookie = await verifyCounter(name, server.url)
      await sendSequentially(server.url, cookie, warmup)
      await server.zero()
      let last = await sendSequentially(server.url, cookie, measured)
      let counts = readInstructionCounts(await server.dump())
      if (!(Number(last) >= measured)) throw new Error(`${name}: the last answer was "${last}"`)
      return { name, total: counts.total / measured, gc: counts.garbageCollection / measured }
    } finally {
      await server.stop()
    }
  } finally {
    await redis?.stop()
  }
}
