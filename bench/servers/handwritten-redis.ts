import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient } from 'redis-6'
import { redisUrl, secret } from '../config.ts'
import { createHmacCookie } from '../hmac-cookie.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { announce, onShutdown, port } from './lifecycle.ts'

// The Redis floor: the ceiling's node:http and hand-written HMAC cookie, carrying a session id
// (sent for a new session only, as our server storages send theirs) instead of the count, and the
// count in a Redis hash per session, with the client and the two round trips of the Redis storage
// (`HGETALL`, then a script that writes the field and renews the key's expiry), over node-redis's
// `sendCommand` (no command builders, no timeout), the same node-redis 6 as the storage's own
// connection (the bench's `redis` is 5, for connect-redis). No locks, no merge checks, no
// devalue, no user index, no fixation or expiry rules: the floor any Redis-backed session on
// node-redis stands on.
let cookie = createHmacCookie('session', secret, { maxAge: cookieMaxAge })
let prefix = 'bench:handwritten:'
let saveScript = `redis.call('HSET', KEYS[1], 'count', ARGV[1], 't', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`
let idleMs = `${cookieMaxAge * 1000}`

let client = createClient({
  url: redisUrl,
  disableOfflineQueue: true,
  commandOptions: { timeout: 0 },
})
client.on('error', (error) => console.error('redis:', error))
await client.connect()
let sha1 = String(await client.sendCommand(['SCRIPT', 'LOAD', saveScript]))

/** The count stored for `id`: node-redis 6 speaks RESP3, whose `HGETALL` reply is an object. */
async function storedCount(id: string): Promise<unknown> {
  let reply: unknown = await client.sendCommand(['HGETALL', `${prefix}${id}`])
  return (reply as Record<string, string>).count
}

let server = createServer(async (request, response) => {
  try {
    let id = cookie.parse(request.headers.cookie ?? '')
    let stored = id === null ? undefined : await storedCount(id)
    // As our server storages do, the cookie (the id alone) is sent for a new session only
    // (ours also at renewals, once a minute).
    let isNew = stored === undefined
    id = isNew ? randomBytes(24).toString('base64url') : (id as string)
    let count = String(nextCount(stored))
    let now = `${Date.now()}`
    await client.sendCommand(['EVALSHA', sha1, '1', `${prefix}${id}`, count, now, idleMs])
    if (isNew) response.setHeader('Set-Cookie', cookie.serialize(id))
    response.setHeader('Content-Type', 'text/plain; charset=utf-8')
    response.end(count)
  } catch {
    response.statusCode = 503
    response.end()
  }
})
server.listen(port, () => announce((server.address() as AddressInfo).port))
onShutdown(() => client.close())
