import { createSession, isSessionId, type Session, type SessionStorage } from '@x/session'
import { createClient } from 'redis-6'
import { redisUrl } from '../config.ts'
import { cookieMaxAge } from './counter.ts'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// A prototype, not a storage to use: @x/fetch-router + `session()` (as `ours-redis`) over the
// thinnest `SessionStorage` on Redis, the Redis floor's two round trips and nothing else: the
// counter as a plain hash field (no devalue), no command timeout, no merge, no expiry or schema
// checks, no user index, no retired ids. What ours + Redis storage would serve if its guarantees
// cost nothing: the distance from the Redis floor to it is what the Fetch layer, the router and
// the session middleware cost; from it to `ours-redis`, what the Redis storage's guarantees cost.
let prefix = 'bench:thin:'
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
// The sessions read from Redis: a save of any other is a new session, which sends its id.
let stored = new WeakSet<Session>()

let storage: SessionStorage = {
  async read(cookieValue) {
    if (!isSessionId(cookieValue)) return createSession()
    // node-redis 6 speaks RESP3, whose `HGETALL` reply is an object.
    let fields = (await client.sendCommand(['HGETALL', `${prefix}${cookieValue}`])) as {
      count?: string
    }
    if (fields.count === undefined) return createSession()
    let session = createSession(cookieValue, [{ count: Number(fields.count) }, {}])
    stored.add(session)
    return session
  },
  async save(session) {
    let count = String(session.get('count'))
    let now = `${Date.now()}`
    await client.sendCommand(['EVALSHA', sha1, '1', `${prefix}${session.id}`, count, now, idleMs])
    return stored.has(session) ? null : session.id
  },
}
let router = createOursApp(storage)
serveFetch(
  (request) => router.fetch(request),
  () => client.close(),
)
