import autocannon from 'autocannon'

/** What one load run saw. */
export interface LoadResult {
  requests: number
  statuses: Record<string, number>
  errors: number
  timeouts: number
}

/**
 * Sends a signed-in visitor's mix of requests for `seconds` at `connections`: pages that read the
 * session, and API calls and cart posts that write it.
 */
export async function load(
  base: string,
  cookie: string,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  let statuses: Record<string, number> = {}
  let instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { cookie },
    requests: [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/cart' },
      {
        method: 'POST',
        path: '/api/locale',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ language: 'fr' }),
      },
      { method: 'GET', path: '/api/locale' },
    ],
  })
  instance.on('response', (_client, statusCode) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
  })
  let result = await instance
  return {
    requests: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}
