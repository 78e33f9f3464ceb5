import { loadSessionCount } from './config.ts'
import { cookieHeader, verifyCounter } from './verify-counter.ts'

/**
 * The sessions a server's HTTP load starts from: checks that the server counts
 * (`verifyCounter`), then opens {@link loadSessionCount} sessions in all, each by a request without
 * a cookie that must answer `1` and set a cookie. The ceiling's, the Fetch handler's and Hono's
 * cookies hold the counter alone, so their new sessions have equal cookies: those servers keep no
 * state, and each request still signs the counter it answers.
 *
 * @returns one `Cookie` header per session, for `runLoad`.
 * @throws {Error} naming the request that did not open a session of its own.
 */
export async function openLoadSessions(name: string, url: string): Promise<string[]> {
  let cookies = [await verifyCounter(name, url)]
  while (cookies.length < loadSessionCount) {
    let response = await fetch(url)
    let body = await response.text()
    let cookie = cookieHeader(response)
    if (response.status !== 200 || body !== '1' || cookie === '') {
      throw new Error(
        `${name}: request ${cookies.length + 1} without a cookie gave ${response.status} "${body}" and cookie "${cookie}", expected 200 "1" and a cookie`,
      )
    }
    cookies.push(cookie)
  }
  return cookies
}
