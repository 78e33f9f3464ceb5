import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { createCookie } from '../cookie.ts'
import {
  createRedisSessionStorage,
  type RedisSessionStorage,
  type RedisSessionStorageOptions,
} from './redis.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-test:${process.pid}:${Date.now()}:`
const redis = new Redis(url)
const ioredis = new Redis(url, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  enableAutoPipelining: true,
})
const nodeRedis = createClient({ url })
nodeRedis.on('error', () => {})
await nodeRedis.connect()
const opened: RedisSessionStorage[] = []
const cookie = createCookie('session', { secrets: [secret] })

function open(options: Omit<RedisSessionStorageOptions, 'url' | 'client'> = {}) {
  let storage = createRedisSessionStorage({ url, keyPrefix: prefix, ...options })
  opened.push(storage)
  return storage
}

afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.close()))
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
  await ioredis.quit()
  await nodeRedis.close()
})

describeSessionStorage(
  'createRedisSessionStorage({ url }) (its own node-redis connection)',
  (options) => open(options),
  { serverSide: true, reopens: true },
)

// Remix's call shape, with an ioredis client set up as the README shows.
describeSessionStorage(
  'createRedisSessionStorage(ioredisClient, options)',
  (options) => createRedisSessionStorage(ioredis, { keyPrefix: prefix, ...options }),
  { serverSide: true, reopens: true },
)

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

  it('deletes the key of a destroyed session', async () => {
    let { storage, id } = await savedSession()
    let session = await storage.read(id)
    session.destroy()
    expect(await storage.save(session)).toBe('')
    expect(await redis.exists(`${prefix}${id}`)).toBe(0)
  })

  it('reads corrupt data under a key as a fresh session, and deletes it as every server storage does', async () => {
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
      expect(await redis.exists(`${prefix}${id}`)).toBe(0)
    }
  })

  // Lua's unpack stops near 8,000 values: a save of more fields must still be one script.
  it.each([
    ['its own node-redis connection', () => open()],
    ['an ioredis client', () => createRedisSessionStorage(ioredis, { keyPrefix: prefix })],
  ])('saves, renames and empties a session of 10,000 values (%s)', async (_, storage) => {
    let browser = new Browser(storage(), cookie)
    let keys = Array.from({ length: 10_000 }, (_, index) => `key${index}`)
    let id = await browser.request((session) => {
      for (let [index, key] of keys.entries()) session.set(key, index)
      return session.id
    })
    expect(await redis.hlen(`${prefix}${id}`)).toBe(10_002)
    let renamed = await browser.request((session) => {
      expect(session.size).toBe(10_000)
      expect(session.get('key9999')).toBe(9999)
      session.regenerateId(true)
      return session.id
    })
    expect(await redis.hlen(`${prefix}${renamed}`)).toBe(10_002)
    await browser.request((session) => {
      for (let key of keys) session.unset(key)
      session.set('left', true)
    })
    let fields = await redis.hgetall(`${prefix}${renamed}`)
    expect(Object.keys(fields).sort()).toEqual(['c', 't', 'v:left'])
  })

  // ioredis's auto-pipelining spreads a command's arguments once more: a save must not overflow
  // the call stack there, which also left the replies of the batch shifted by one.
  it('saves 100,000 values through an auto-pipelined ioredis client while other requests read theirs', async () => {
    let storage = createRedisSessionStorage(ioredis, { keyPrefix: prefix })
    let owners = ['ada', 'grace']
    let ids = await Promise.all(
      owners.map(async (owner) => {
        let session = await storage.read(null)
        session.set('owner', owner)
        return (await storage.save(session)) as string
      }),
    )
    let big = await storage.read(null)
    for (let index = 0; index < 100_000; index++) big.set(`key${index}`, index)
    let [id, ...read] = await Promise.all([
      storage.save(big),
      ...ids.map(async (id) => (await storage.read(id)).get('owner')),
    ])
    expect(read).toEqual(owners)
    expect(await redis.hlen(`${prefix}${id}`)).toBe(100_002)
    expect(await redis.hget(`${prefix}${id}`, 'v:key99999')).toBe('[99999]')
  })

  it('shares sessions between storages on one Redis, as separate servers would', async () => {
    let first = new Browser(open(), cookie)
    await first.request((session) => session.set('cart', ['mug']))
    let second = new Browser(open(), cookie)
    second.cookieHeader = first.cookieHeader
    await second.request((session) => expect(session.get('cart')).toEqual(['mug']))
  })

  it('shares sessions between its own node-redis connection and an ioredis client', async () => {
    let { id } = await savedSession()
    let other = createRedisSessionStorage(ioredis, { keyPrefix: prefix })
    expect((await other.read(id)).get('user')).toBe('ada')
  })

  it('leaves a client it was given open when closed, and closes the one it opened', async () => {
    let client = new Redis(url)
    let shared = createRedisSessionStorage({ client, keyPrefix: prefix })
    await savedSession(shared)
    await shared.close()
    expect(await client.ping()).toBe('PONG')
    await client.quit()
    let remixShape = createRedisSessionStorage(nodeRedis, { keyPrefix: prefix })
    await savedSession(remixShape)
    await remixShape.close()
    expect(await nodeRedis.ping()).toBe('PONG')
    let own = createRedisSessionStorage({ url, keyPrefix: prefix })
    await savedSession(own)
    await own.close()
    await expect(own.read('E'.repeat(32))).rejects.toThrow()
  })

  it("takes Remix's ttl as the idle timeout, in seconds", async () => {
    let storage = createRedisSessionStorage(nodeRedis, { keyPrefix: prefix, ttl: 600 })
    let { id } = await savedSession(storage)
    let ttl = await redis.pttl(`${prefix}${id}`)
    expect(ttl).toBeGreaterThan(590_000)
    expect(ttl).toBeLessThanOrEqual(600_000)
  })

  it('refuses options it cannot honour with a TypeError', () => {
    expect(() => createRedisSessionStorage({})).toThrow(TypeError)
    expect(() => createRedisSessionStorage({ url, client: redis })).toThrow(TypeError)
    expect(() => createRedisSessionStorage(redis, { ttl: 60, idleTimeout: 60 })).toThrow(
      /`ttl` or `idleTimeout`, not both/,
    )
    expect(() => createRedisSessionStorage(redis, { ttl: 0 })).toThrow(TypeError)
    expect(() => createRedisSessionStorage({ url, commandTimeout: 0 })).toThrow(TypeError)
    // node-redis would take an empty url for localhost.
    expect(() => createRedisSessionStorage({ url: '' })).toThrow(/non-empty/)
    expect(() => createRedisSessionStorage({ url, retiredIdGrace: -1 })).toThrow(TypeError)
    expect(() =>
      createRedisSessionStorage({ client: { get: () => null } as never, keyPrefix: prefix }),
    ).toThrow(/must be an ioredis or node-redis client/)
  })
})

describe('createRedisSessionStorage with regenerateId(true)', () => {
  /** A stored session with a cart, then logged in under a new id; both ids. */
  async function login(storage: RedisSessionStorage) {
    let anonymous = await storage.read(null)
    anonymous.set('cart', ['mug'])
    let oldId = (await storage.save(anonymous)) as string
    let inFlight = await storage.read(oldId)
    let session = await storage.read(oldId)
    session.regenerateId(true)
    session.set('user', 'ada')
    let newId = (await storage.save(session)) as string
    return { oldId, newId, inFlight }
  }

  it('replaces the old hash by a marker holding no data, expiring after retiredIdGrace', async () => {
    let { oldId, newId } = await login(open({ retiredIdGrace: 30 }))
    expect(Object.keys(await redis.hgetall(`${prefix}${oldId}`))).toEqual(['r'])
    let ttl = await redis.pttl(`${prefix}${oldId}`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(30_000)
    expect(Object.keys(await redis.hgetall(`${prefix}${newId}`)).sort()).toEqual([
      'c',
      't',
      'v:cart',
      'v:user',
    ])
  })

  it('deletes the old hash at once with retiredIdGrace: 0', async () => {
    let storage = open({ retiredIdGrace: 0 })
    let { oldId, inFlight } = await login(storage)
    expect(await redis.exists(`${prefix}${oldId}`)).toBe(0)
    inFlight.set('cart', ['spoon'])
    expect(await storage.save(inFlight)).toBe('')
  })

  it('reads the old id as an empty session with a new id whose save writes nothing', async () => {
    let storage = open()
    let { oldId } = await login(storage)
    let session = await storage.read(oldId)
    expect(session.size).toBe(0)
    expect(session.id).not.toBe(oldId)
    session.set('cart', ['spoon'])
    expect(await storage.save(session)).toBeNull()
    expect(await redis.exists(`${prefix}${session.id}`)).toBe(0)
    expect(Object.keys(await redis.hgetall(`${prefix}${oldId}`))).toEqual(['r'])
  })

  it('refuses the save or destroy of a request read under the old id before the login', async () => {
    let storage = open()
    let changed = await login(storage)
    changed.inFlight.set('cart', ['spoon'])
    expect(await storage.save(changed.inFlight)).toBeNull()
    expect((await storage.read(changed.newId)).get('cart')).toEqual(['mug'])
    let destroyed = await login(storage)
    destroyed.inFlight.destroy()
    expect(await storage.save(destroyed.inFlight)).toBeNull()
    let regenerated = await login(storage)
    regenerated.inFlight.regenerateId(true)
    expect(await storage.save(regenerated.inFlight)).toBeNull()
    for (let { oldId, newId } of [changed, destroyed, regenerated]) {
      expect(Object.keys(await redis.hgetall(`${prefix}${oldId}`))).toEqual(['r'])
      expect((await storage.read(newId)).get('user')).toBe('ada')
    }
  })

  it('writes nothing over a key that stopped being a session hash after the read', async () => {
    let storage = open()
    /** A session read, then its key replaced by a list; and that key. */
    let readThenReplaced = async () => {
      let { id } = await savedSession(storage)
      let session = await storage.read(id)
      await redis.del(`${prefix}${id}`)
      await redis.rpush(`${prefix}${id}`, 'not a session')
      session.set('cart', ['mug'])
      return { session, key: `${prefix}${id}` }
    }
    let saved = await readThenReplaced()
    expect(await storage.save(saved.session)).toBe('')
    expect(await redis.exists(saved.key)).toBe(0)
    let login = await readThenReplaced()
    login.session.regenerateId(true)
    expect(await storage.save(login.session)).toBe('')
    expect(await redis.exists(`${prefix}${login.session.id}`)).toBe(0)
    expect(await redis.lrange(login.key, 0, -1)).toEqual(['not a session'])
  })

  it('fails a save, deleting nothing, when an ACL forbids a command of its script', async () => {
    let { id } = await savedSession()
    let name = `x-session-test-${process.pid}`
    // Everything but HMGET, which the save script runs to check the session's state.
    await redis.call('ACL', 'SETUSER', name, 'reset', 'on', 'nopass', '~*', '&*', '+@all', '-hmget')
    try {
      let restricted = new URL(url)
      restricted.username = name
      restricted.password = 'any'
      let storage = createRedisSessionStorage({ url: restricted.href, keyPrefix: prefix })
      opened.push(storage)
      let session = await storage.read(id)
      session.set('cart', ['mug'])
      await expect(storage.save(session)).rejects.toThrow(/can't run this command|NOPERM/)
      expect((await open().read(id)).get('user')).toBe('ada')
    } finally {
      await redis.call('ACL', 'DELUSER', name)
    }
  })

  it('does not carry a session deleted meanwhile on under a new id', async () => {
    let storage = open()
    let { id } = await savedSession(storage)
    let session = await storage.read(id)
    await redis.del(`${prefix}${id}`)
    session.regenerateId(true)
    expect(await storage.save(session)).toBe('')
    expect(await redis.exists(`${prefix}${session.id}`)).toBe(0)
  })
})
