import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { httpConnections } from './config.ts'
import { loadCore, pinnedCommand } from './cpu-pinning.ts'

const execFileAsync = promisify(execFile)
const script = fileURLToPath(new URL('wrk-session.lua', import.meta.url))
const resultMarker = 'wrk-session-result '

/** What one load run measured. */
export interface LoadResult {
  /** Responses per second over the run. */
  requestsPerSecond: number
  /** 99th percentile latency, in milliseconds (wrk records microseconds). */
  p99: number
  /** Responses received during the run. */
  requests: number
}

/** The line `wrk-session.lua` prints at the end (times in microseconds). */
interface WrkSummary {
  requests: number
  duration: number
  p99: number
  connect: number
  read: number
  write: number
  status: number
  timeout: number
  highest: number
}

/**
 * Loads `url` with wrk for `duration` seconds: one thread pinned to its own core
 * (`cpu-pinning.ts`), {@link httpConnections} connections, GET requests each carrying one
 * session's cookie, starting from `cookies` (one `Cookie` header per session, from
 * `openLoadSessions`): a cookie a response sets is sent back by exactly one later request, and
 * when none is waiting the next session is taken in turn (`wrk-session.lua`).
 *
 * @throws {Error} when wrk fails, when a request failed, timed out (10 s) or got a status of 400
 * or more, when no response came, or when the counter never went past 2 (the cookie of each
 * response was not sent back): a server that errors, or a load that does not re-sign, is not
 * measured.
 */
export async function runLoad(
  url: string,
  cookies: string[],
  duration: number,
): Promise<LoadResult> {
  let [command, args] = pinnedCommand(loadCore, 'wrk', [
    '--threads=1',
    `--connections=${httpConnections}`,
    `--duration=${duration}s`,
    '--timeout=10s',
    `--script=${script}`,
    url,
    '--',
    ...cookies,
  ])
  let { stdout } = await execFileAsync(command, args)
  let line = stdout.split('\n').find((text) => text.startsWith(resultMarker))
  if (line === undefined) throw new Error(`wrk printed no result for ${url}:\n${stdout}`)
  let result = JSON.parse(line.slice(resultMarker.length)) as WrkSummary
  let failed = result.connect + result.read + result.write + result.status + result.timeout
  if (failed > 0) {
    throw new Error(
      `Load on ${url}: ${result.connect + result.read + result.write} socket errors, ${result.timeout} timeouts, ${result.status} responses with a status of 400 or more`,
    )
  }
  if (result.requests === 0 || result.highest <= 2) {
    throw new Error(
      `Load on ${url}: ${result.requests} responses, the highest counter ${result.highest}: the session did not advance\n${stdout}`,
    )
  }
  return {
    requestsPerSecond: result.requests / (result.duration / 1e6),
    p99: result.p99 / 1000,
    requests: result.requests,
  }
}
