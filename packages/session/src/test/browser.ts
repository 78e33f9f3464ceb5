import { SetCookie } from '@remix-run/headers/set-cookie'
import type { Cookie } from '../lib/cookie.ts'
import type { Data, Session } from '../lib/session.ts'
import type { SessionStorage } from '../lib/session-storage.ts'

/**
 * A client that keeps the session cookie like a browser: each `request` parses it, reads the
 * session, runs `handle`, saves, and stores what `Set-Cookie` says (a `Max-Age=0` deletes it; a
 * cookie past its `Max-Age`, by `Date.now()`, is no longer sent).
 */
export class Browser<Values extends Data = Data, Flash extends Data = Data> {
  /** The raw `name=value` the browser would send, or `undefined` without a cookie. */
  cookieHeader: string | undefined
  /** The last `Set-Cookie` header received, if any. */
  lastSetCookie: string | undefined
  /** When the cookie ends, by its `Max-Age` (ms since the epoch). */
  #cookieEnds = Number.POSITIVE_INFINITY
  #storage: SessionStorage<Values, Flash>
  #cookie: Cookie

  constructor(storage: SessionStorage<Values, Flash>, cookie: Cookie) {
    this.#storage = storage
    this.#cookie = cookie
  }

  async request<Result>(
    handle: (session: Session<Values, Flash>) => Result,
  ): Promise<Awaited<Result>> {
    if (Date.now() >= this.#cookieEnds) this.cookieHeader = undefined
    let value = await this.#cookie.parse(this.cookieHeader ?? null)
    let session = await this.#storage.read(value)
    let result = await handle(session)
    let saved = await this.#storage.save(session)
    this.lastSetCookie = undefined
    if (saved !== null) {
      let header = await this.#cookie.serialize(saved)
      this.lastSetCookie = header
      let parsed = new SetCookie(header)
      this.cookieHeader = parsed.maxAge === 0 ? undefined : `${parsed.name}=${parsed.value}`
      let maxAge = parsed.maxAge
      this.#cookieEnds =
        maxAge === undefined ? Number.POSITIVE_INFINITY : Date.now() + maxAge * 1000
    }
    return result
  }
}
