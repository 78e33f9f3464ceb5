import { createRedisSessionStorage } from '@x/session/redis-storage'
import { redisCommandTimeout, redisUrl } from '../config.ts'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// @x/fetch-router + session() + Redis storage (`url`: its own node-redis connection; a hash per
// session, Lua saves).
let storage = createRedisSessionStorage({
  url: redisUrl,
  keyPrefix: 'bench:x-session:',
  commandTimeout: redisCommandTimeout,
})
let router = createOursApp(storage)
serveFetch(
  (request) => router.fetch(request),
  () => storage.close(),
)
