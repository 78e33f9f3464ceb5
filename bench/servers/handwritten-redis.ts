import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { secret } from '../config.ts'
import { createHmacCookie } from '../hmac-cookie.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { announce, onShutdown, port } from './lifecycle.ts'
import { connectFloorRedis } from './redis-floor.ts'

// The Redis floor: the ceiling's node:http and hand-written HMAC cookie, carrying a session id
// (sent for a new session only, as our server storages send theirs) instead of the count, and the
// count in a Redis hash per session, with the client and the two round trips of the Redis storage
// (`HGETALL`, then a script that writes the field and renews the key's expiry), over node-redis's
// `sendCommand` (no command builders, no timeout), the same node-redis 6 as the storage's own
// connection (the bench's `redis` is 5, for connect-redis). No locks, no merge checks, no
// devalue, no user index, no fixation or expiry rules: the floor any Redis-backed session on
// node-redis stands on.
let cookie = createHmacCookie('session', secret, { maxAge: cookieMaxAge })
let redis = await connectFloorRedis('bench:handwritten:')

let server = createServer(async (request, response) => {
  try {
    let id = cookie.parse(request.headers.cookie ?? '')
    let stored = id === null ? undefined : await redis.readCount(id)
    // As our server storages do, the cookie (the id alone) is sent for a new session only
    // (ours also at renewals, once a minute).
    let isNew = stored === undefined
    id = isNew ? randomBytes(24).toString('base64url') : (id as string)
    let count = String(nextCount(stored))
    await redis.writeCount(id, count)
    if (isNew) response.setHeader('Set-Cookie', cookie.serialize(id))
    response.setHeader('Content-Type', 'text/plain; charset=utf-8')
    response.end(count)
  } catch {
    response.statusCode = 503
    response.end()
  }
})
server.listen(port, () => announce((server.address() as AddressInfo).port))
onShutdown(() => redis.close())
