import { Hono } from 'hono'
import { getSignedCookie, setSignedCookie } from 'hono/cookie'
import { secret } from '../config.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { serveFetch } from './serve-fetch.ts'

// Hono with its signed-cookie helpers: the counter itself is the cookie value (no session layer).
let app = new Hono()
app.get('/', async (c) => {
  let stored = await getSignedCookie(c, secret, 'session')
  let count = nextCount(typeof stored === 'string' ? stored : undefined)
  await setSignedCookie(c, 'session', String(count), secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: cookieMaxAge,
  })
  return c.text(String(count))
})
serveFetch((request) => app.fetch(request))
