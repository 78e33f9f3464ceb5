/**
 * Checks that the counter server at `url` really keeps a session: a first request answers `1` and
 * sets the cookie; the next two, each carrying the latest cookie, answer `2` and `3`. A server
 * whose cookie holds only the session id need not send it again (ours with a server storage sends
 * it at renewals); one whose cookie holds the counter must.
 *
 * @returns the `Cookie` header obtained from the first request, for the load to carry.
 * @throws {Error} naming what the server did instead.
 */
export async function verifyCounter(name: string, url: string): Promise<string> {
  let cookie = await openSession(name, url)
  let latest = cookie
  for (let expected of ['2', '3']) {
    let next = await fetch(url, { headers: { cookie: latest } })
    let body = await next.text()
    if (next.status !== 200 || body !== expected) {
      throw new Error(
        `${name}: a request with the session cookie gave ${next.status} "${body}", expected 200 "${expected}"`,
      )
    }
    latest = cookieHeader(next) || latest
  }
  return cookie
}

/**
 * Opens a new session of the counter server at `url`: a request without a cookie, which must
 * answer `1` and set a cookie.
 *
 * @returns the `Cookie` header that carries the session.
 * @throws {Error} naming what the server did instead.
 */
export async function openSession(name: string, url: string): Promise<string> {
  let response = await fetch(url)
  let body = await response.text()
  let cookie = cookieHeader(response)
  if (response.status !== 200 || body !== '1' || cookie === '') {
    throw new Error(
      `${name}: a request without a cookie gave ${response.status} "${body}" and cookie "${cookie}", expected 200 "1" and a cookie`,
    )
  }
  return cookie
}

/** The `Cookie` header a client sends back after `response`: its cookies' name=value pairs. */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .join('; ')
}
