import { secret } from '../config.ts'
import { createHmacCookie } from '../hmac-cookie.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { serveFetch } from './serve-fetch.ts'

// The ceiling's hand-written HMAC session in a hand-written Fetch handler on @hono/node-server (no
// router, no middleware): next to the ceiling, what the Fetch API layer (Request, Headers,
// Response, and their conversion from and to node:http) costs.
let cookie = createHmacCookie('session', secret, { maxAge: cookieMaxAge })

serveFetch((request) => {
  let count = String(nextCount(cookie.parse(request.headers.get('cookie') ?? '')))
  return new Response(count, {
    headers: {
      'Set-Cookie': cookie.serialize(count),
      'Content-Type': 'text/plain; charset=utf-8',
    },
  })
})
