import { randomBytes } from 'node:crypto'
import { secret } from '../config.ts'
import { createHmacCookie } from '../hmac-cookie.ts'
import { cookieMaxAge } from './counter.ts'
import { serveFetch } from './serve-fetch.ts'

// The Fetch handler row's server with a cookie like ours + cookie storage's: a random id, the data
// and the session's creation and last-use times as JSON, base64url, HMAC, and
// `Cache-Control: private, no-store`. No router, no library, no expiry or schema checks: the
// least a signed-cookie session of that content costs on the Fetch layer.
let cookie = createHmacCookie('session', secret, { maxAge: cookieMaxAge })

serveFetch((request) => {
  let text = cookie.parse(request.headers.get('cookie') ?? '')
  let now = Date.now()
  let id: string
  let record: [Record<string, unknown>, Record<string, unknown>, number, number]
  if (text === null) {
    id = randomBytes(24).toString('base64url')
    record = [{}, {}, now, now]
  } else {
    id = text.slice(0, 32)
    record = JSON.parse(Buffer.from(text.slice(32), 'base64url').toString('utf8'))
  }
  let count = (typeof record[0].count === 'number' ? record[0].count : 0) + 1
  record[0].count = count
  record[3] = now
  let value = id + Buffer.from(JSON.stringify(record)).toString('base64url')
  return new Response(String(count), {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Set-Cookie': cookie.serialize(value),
      'Cache-Control': 'private, no-store',
    },
  })
})
