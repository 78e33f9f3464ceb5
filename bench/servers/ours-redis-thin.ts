import { createSession, isSessionId, type Session, type SessionStorage } from '@x/session'
import { createOursApp } from './ours-app.ts'
import { connectFloorRedis } from './redis-floor.ts'
import { serveFetch } from './serve-fetch.ts'

// A prototype, not a storage to use: @x/fetch-router + `session()` (as `ours-redis`) over the
// thinnest `SessionStorage` on Redis, the Redis floor's two round trips (`redis-floor.ts`) and
// nothing else: the counter as a plain hash field (no devalue), no command timeout, no merge, no
// expiry or schema checks, no user index, no retired ids. What ours + Redis storage would serve if
// its guarantees cost nothing: the distance from the Redis floor to it is what the Fetch layer,
// the router and the session middleware cost; from it to `ours-redis`, what the Redis storage's
// guarantees cost.
let redis = await connectFloorRedis('bench:thin:')
// The sessions read from Redis: a save of any other is a new session, which sends its id.
let stored = new WeakSet<Session>()

let storage: SessionStorage = {
  async read(cookieValue) {
    if (!isSessionId(cookieValue)) return createSession()
    let count = await redis.readCount(cookieValue)
    if (count === undefined) return createSession()
    let session = createSession(cookieValue, [{ count: Number(count) }, {}])
    stored.add(session)
    return session
  },
  async save(session) {
    await redis.writeCount(session.id, String(session.get('count')))
    return stored.has(session) ? null : session.id
  },
}
let router = createOursApp(storage)
serveFetch(
  (request) => router.fetch(request),
  () => redis.close(),
)
