import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { freePort, RedisNode } from '@x/test-kit'
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

describe('createRedisSessionStorage({ url }) with node-redis 5, on a Redis without HELLO', () => {
  it('reads and saves: node-redis 5 speaks RESP2 and sends no HELLO (Redis before 6 has none)', async () => {
    let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-redis-no-hello-'))
    let port = await freePort()
    let server = await RedisNode.start(port, directory, ['--rename-command', 'HELLO', ''])
    let storage = createRedisSessionStorage({ url: `redis://127.0.0.1:${port}` })
    try {
      await expect(server.cli('HELLO', '2')).resolves.toMatch(/unknown command/)
      let session = await storage.read(null)
      session.set('cart', ['mug'])
      let id = (await storage.save(session)) as string
      expect((await storage.read(id)).get('cart')).toEqual(['mug'])
    } finally {
      await storage.close()
      await server.kill()
      fs.rmSync(directory, { recursive: true, force: true })
    }
  })
})
