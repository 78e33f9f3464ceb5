import { createCookie } from '@remix-run/cookie'
import { createRouter, type Middleware } from '@remix-run/fetch-router'
import { Session } from '@remix-run/session'
import { createCookieSessionStorage } from '@remix-run/session/cookie-storage'
import { session } from '@remix-run/session-middleware'
import { secret } from '../config.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { serveFetch } from './serve-fetch.ts'

// Remix 3: fetch-router + session-middleware + cookie storage, on @hono/node-server.
let cookie = createCookie('session', {
  secrets: [secret],
  httpOnly: true,
  sameSite: 'Lax',
  path: '/',
  maxAge: cookieMaxAge,
})
let remixSession = session(cookie, createCookieSessionStorage())
type SessionContext = Parameters<typeof remixSession>[0]
// session-middleware 0.2.2 is typed against fetch-router 0.18's RequestContext (its own
// dependency), whose #private brand differs from 0.20's; at runtime it only calls has, get, set
// and headers, which 0.20's context has. So it is adapted here rather than its types trusted.
let sessionMiddleware: Middleware = async (context, next) => {
  let response = await remixSession(context as unknown as SessionContext, next)
  if (response === undefined) throw new Error('The Remix session middleware returned no response')
  return response
}

let router = createRouter({ middleware: [sessionMiddleware] })
router.get('/', (context) => {
  let current = context.get(Session)
  if (current === undefined) throw new Error('No session: the session middleware did not run')
  let count = nextCount(current.get('count'))
  current.set('count', count)
  return new Response(String(count))
})
serveFetch((request) => router.fetch(request))
