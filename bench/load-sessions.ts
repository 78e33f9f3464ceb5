import { loadSessionCount } from './config.ts'
import { openSession, verifyCounter } from './verify-counter.ts'

/**
 * The sessions a server's HTTP load starts from: checks that the server counts
 * (`verifyCounter`), then opens {@link loadSessionCount} sessions in all, each by a request without
 * a cookie that must answer `1` and set a cookie (`openSession`). The ceiling's, the Fetch
 * handler's and Hono's cookies hold the counter alone, so their new sessions have equal cookies:
 * those servers keep no state, and each request still signs the counter it answers.
 *
 * @returns one `Cookie` header per session, for `runLoad`.
 * @throws {Error} naming what the server did instead.
 */
export async function openLoadSessions(name: string, url: string): Promise<string[]> {
  let cookies = [await verifyCounter(name, url)]
  while (cookies.length < loadSessionCount) cookies.push(await openSession(name, url))
  return cookies
}
