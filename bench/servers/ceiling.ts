import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { secret } from '../config.ts'
import { cookieMaxAge } from './counter.ts'
import { announce, onShutdown, port } from './lifecycle.ts'

// The ceiling: bare node:http and a hand-written HMAC-SHA256 signed counter cookie.
let key = Buffer.from(secret)
let sign = (value: string) => createHmac('sha256', key).update(value).digest('base64url')

function readCount(cookieHeader: string | undefined): number {
  let match = cookieHeader?.match(/(?:^|;\s*)session=([^;]*)/)
  let [value, signature] = (match?.[1] ?? '').split('.')
  if (value === undefined || signature === undefined) return 0
  let expected = Buffer.from(sign(value))
  let given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 0
  return Number(value) || 0
}

let server = createServer((request, response) => {
  let count = String(readCount(request.headers.cookie) + 1)
  response.setHeader(
    'Set-Cookie',
    `session=${count}.${sign(count)}; Max-Age=${cookieMaxAge}; Path=/; HttpOnly; SameSite=Lax`,
  )
  response.setHeader('Content-Type', 'text/plain; charset=utf-8')
  response.end(count)
})
server.listen(port, () => announce((server.address() as AddressInfo).port))
onShutdown()
