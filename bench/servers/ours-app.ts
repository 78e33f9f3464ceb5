import { createRouter, text } from '@x/fetch-router'
import { session } from '@x/fetch-router/session'
import type { SessionStorage } from '@x/session'
import { createCookie } from '@x/session/cookie'
import { secret } from '../config.ts'
import { cookieMaxAge, nextCount } from './counter.ts'

/**
 * The counter app on `@x/fetch-router` with the `session()` middleware over `storage`: `GET /`
 * increments `count` in the session and answers it as text, with the router's `text()` helper
 * (`plainResponse: true`: with `new Response()`, which the middleware must copy from its stream).
 */
export function createOursApp(storage: SessionStorage, { plainResponse = false } = {}) {
  let cookie = createCookie('session', { secrets: [secret], maxAge: cookieMaxAge })
  let router = createRouter({ middleware: [session(cookie, storage)] })
  router.get('/', ({ session }) => {
    let count = nextCount(session.get('count'))
    session.set('count', count)
    return plainResponse ? new Response(String(count)) : text(String(count))
  })
  return router
}
