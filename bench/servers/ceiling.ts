import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { secret } from '../config.ts'
import { createHmacCookie } from '../hmac-cookie.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { announce, onShutdown, port } from './lifecycle.ts'

// The ceiling: bare node:http and a hand-written HMAC-SHA256 signed counter cookie.
let cookie = createHmacCookie('session', secret, { maxAge: cookieMaxAge })

let server = createServer((request, response) => {
  let count = String(nextCount(cookie.parse(request.headers.cookie ?? '')))
  response.setHeader('Set-Cookie', cookie.serialize(count))
  response.setHeader('Content-Type', 'text/plain; charset=utf-8')
  response.end(count)
})
server.listen(port, () => announce((server.address() as AddressInfo).port))
onShutdown()
