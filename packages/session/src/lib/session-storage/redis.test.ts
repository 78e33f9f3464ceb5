import { RedisServer } from '@x/example-runtimes'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { createCookie } from '../cookie.ts'
import { createRedisSessionStorage, type RedisSessionStorage } from './redis.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-test:${process.pid}:${Date.now()}:`
const redis = new Redis(url)
const opened: RedisSessionStorage<unknown, unknown>[] = []
const cookie = createCookie('session', { secrets: [secret] })

function open(options: Parameters<typeof createRedisSessionStorage>[0] = {}) {
  let storage = createRedisSessionStorage({ url, keyPrefix: prefix, ...options })
  opened.push(storage)
  return storage
}

afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.close()))
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
})

describeSessionStorage('createRedisSessionStorage', (options) => open(options), {
  serverSide: true,
  reopens: true,
})

/** A session saved with `user: 'ada'`, and its id. */
async function savedSession(storage = open()) {
  let session = await storage.read(null)
  session.set('user', 'ada')
  let id = (await storage.save(session)) as string
  return { storage, id }
}

describe('createRedisSessionStorage', () => {
  it('keeps a session as a hash with one field per value, under the key prefix', async () => {
    let { id } = await savedSession()
    let fields = await redis.hgetall(`${prefix}${id}`)
    expect(Object.keys(fields).sort()).toEqual(['c', 't', 'v:user'])
    expect(fields['v:user']).toBe('["ada"]')
  })

  it('sets the expiry with the value: the idle timeout, capped by the absolute lifetime', async () => {
    let idle = await savedSession(open({ idleTimeout: 600 }))
    let ttl = await redis.pttl(`${prefix}${idle.id}`)
    expect(ttl).toBeGreaterThan(590_000)
    expect(ttl).toBeLessThanOrEqual(600_000)
    let capped = await savedSession(open({ idleTimeout: 600, absoluteTimeout: 60 }))
    expect(await redis.pttl(`${prefix}${capped.id}`)).toBeLessThanOrEqual(60_000)
    let endless = await savedSession(open({ idleTimeout: Infinity, absoluteTimeout: Infinity }))
    expect(await redis.pttl(`${prefix}${endless.id}`)).toBe(-1)
  })

  it('deletes the keys of destroyed sessions and of ids replaced by regenerateId(true)', async () => {
    let { storage, id } = await savedSession()
    let session = await storage.read(id)
    session.regenerateId(true)
    let newId = (await storage.save(session)) as string
    expect(await redis.exists(`${prefix}${id}`)).toBe(0)
    expect(await redis.exists(`${prefix}${newId}`)).toBe(1)
    let again = await storage.read(newId)
    again.destroy()
    expect(await storage.save(again)).toBe('')
    expect(await redis.exists(`${prefix}${newId}`)).toBe(0)
  })

  it('reads corrupt data under a key as a fresh session', async () => {
    let storage = open()
    let corrupt = [
      async (key: string) => void (await redis.set(key, 'a string, not a hash')),
      async (key: string) =>
        void (await redis.hset(key, 'c', '1', 't', '1', 'v:x', '{not devalue')),
      async (key: string) => void (await redis.hset(key, 'c', 'yesterday', 't', '1')),
      async (key: string) => void (await redis.hset(key, 'c', '1', 't', '1', 'other', '[1]')),
    ]
    for (let write of corrupt) {
      let { id } = await savedSession(storage)
      await redis.del(`${prefix}${id}`)
      await write(`${prefix}${id}`)
      let session = await storage.read(id)
      expect(session.size).toBe(0)
      expect(session.id).not.toBe(id)
    }
  })

  it('shares sessions between storages on one Redis, as separate servers would', async () => {
    let first = new Browser(open(), cookie)
    await first.request((session) => session.set('cart', ['mug']))
    let second = new Browser(open(), cookie)
    second.cookieHeader = first.cookieHeader
    await second.request((session) => expect(session.get('cart')).toEqual(['mug']))
  })

  it('leaves a client it was given open when closed, and closes the one it opened', async () => {
    let client = new Redis(url)
    let shared = createRedisSessionStorage({ client, keyPrefix: prefix })
    await savedSession(shared)
    await shared.close()
    expect(await client.ping()).toBe('PONG')
    await client.quit()
    let own = createRedisSessionStorage({ url, keyPrefix: prefix })
    await savedSession(own)
    await own.close()
    await expect(own.read('E'.repeat(32))).rejects.toThrow()
  })

  it('needs exactly one of url and client', () => {
    expect(() => createRedisSessionStorage({})).toThrow(TypeError)
    expect(() => createRedisSessionStorage({ url, client: redis })).toThrow(TypeError)
  })
})

describe('createRedisSessionStorage when Redis goes away', () => {
  it('fails while Redis is down, then works again without a restart, sessions intact', async () => {
    let server = await RedisServer.start()
    try {
      let storage = createRedisSessionStorage({ url: server.url })
      let { id } = await savedSession(storage)
      await server.stop()
      await expect(storage.read(id)).rejects.toThrow()
      let pending = await storage.read(null)
      pending.set('x', 1)
      await expect(storage.save(pending)).rejects.toThrow()
      await server.restart()
      let session = await eventually(() => storage.read(id))
      expect(session.get('user')).toBe('ada')
      await storage.close()
    } finally {
      await server.stop()
      server.remove()
    }
  }, 30_000)
})

/** Retries `task` until it resolves: the client reconnects in the background after a restart. */
async function eventually<Result>(task: () => Promise<Result>): Promise<Result> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task()
    } catch (error) {
      if (attempt === 100) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}
