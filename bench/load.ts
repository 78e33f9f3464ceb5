import autocannon from 'autocannon'
import { httpConnections } from './config.ts'

/** What one load run measured. */
export interface LoadResult {
  /** Responses per second over the run. */
  requestsPerSecond: number
  /** 99th percentile latency, in milliseconds. */
  p99: number
}

/**
 * Sends GET requests carrying `cookie` to `url` from {@link httpConnections} connections for
 * `duration` seconds.
 *
 * @throws {Error} when any request failed, timed out or got a status other than 2xx: a server
 * that errors is not measured.
 */
export async function runLoad(url: string, cookie: string, duration: number): Promise<LoadResult> {
  let result = await autocannon({
    url,
    connections: httpConnections,
    duration,
    headers: { cookie },
  })
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `Load on ${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`,
    )
  }
  return { requestsPerSecond: result.requests.total / result.duration, p99: result.latency.p99 }
}
