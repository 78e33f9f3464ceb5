import { Redis } from 'ioredis'
import { createClient } from 'redis-5'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { describeSessionStorage } from '../../test/storage-conformance.ts'
import { createRedisSessionStorage, type RedisSessionStorage } from './redis.ts'

// The peer range takes node-redis 5 as well as 6: 5 speaks RESP2 by default, where a hash comes
// back as a list. Here `import('redis')` (the storage's own connection) gets node-redis 5 too.
vi.mock('redis', () => import('redis-5'))

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-redis5:${process.pid}:${Date.now()}:`
const nodeRedis5 = createClient({ url })
nodeRedis5.on('error', () => {})
await nodeRedis5.connect()
const opened: RedisSessionStorage[] = []

afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.close()))
  let redis = new Redis(url)
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
  await nodeRedis5.close()
})

describeSessionStorage(
  'createRedisSessionStorage({ url }) with node-redis 5 installed',
  (options) => {
    let storage = createRedisSessionStorage({ url, keyPrefix: prefix, ...options })
    opened.push(storage)
    return storage
  },
  { serverSide: true, reopens: true },
)

describeSessionStorage(
  'createRedisSessionStorage(nodeRedis5Client)',
  (options) => createRedisSessionStorage(nodeRedis5, { keyPrefix: prefix, ...options }),
  { serverSide: true, reopens: true },
)

describe('createRedisSessionStorage({ url }) with node-redis 5 installed', () => {
  it('opens its connection with node-redis 5, and keeps the user index on it', async () => {
    expect((await import('redis')).createClient).toBe(createClient)
    let storage = createRedisSessionStorage({ url, keyPrefix: prefix, userKey: 'user' })
    opened.push(storage)
    let session = await storage.read(null)
    session.set('user', 'ada')
    let id = (await storage.save(session)) as string
    expect(await storage.listUserSessions('ada')).toHaveLength(1)
    expect((await storage.read(id)).get('user')).toBe('ada')
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    expect((await storage.read(id)).id).not.toBe(id)
  })
})
