import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { adaptClient } from '../redis/adapt-client.ts'
import type { RedisSessionClient } from '../redis/redis-client.ts'
import { membersScript } from '../redis/redis-scripts.ts'
import type { ServerStorageOptions } from '../server-storage.ts'
import { createRedisSessionStorage, type RedisSessionStorage } from './redis.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-index:${process.pid}:${Date.now()}:`
const redis = new Redis(url)
const opened: RedisSessionStorage[] = []
// Each test signs in a user of its own, so no test sees another's index.
let user = ''
let index = ''
let tests = 0

function open(options: ServerStorageOptions = {}) {
  let storage = createRedisSessionStorage({ url, keyPrefix: prefix, userKey: 'userId', ...options })
  opened.push(storage)
  return storage
}

afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.close()))
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
})

/** Signs `userId` in on a new session; resolves to its id. */
async function login(storage: RedisSessionStorage, userId = user) {
  let session = await storage.read(null)
  session.set('userId', userId)
  return (await storage.save(session)) as string
}

/** A request that only uses the session: an unchanged session is renewed when due. */
async function visit(storage: RedisSessionStorage, id: string) {
  let session = await storage.read(id)
  expect(session.get('userId')).toBe(user)
  await storage.save(session)
}

/** Reads session `id` (`null`: a new one), sets `key` (unsets it for `undefined`), saves it. */
async function update(
  storage: RedisSessionStorage,
  id: string | null,
  key: string,
  value: unknown,
) {
  let session = await storage.read(id)
  if (value === undefined) session.unset(key)
  else session.set(key, value)
  return (await storage.save(session)) as string
}

/** When `key` expires, in ms since the epoch (`-1` for never). */
async function expiresAt(key: string): Promise<number> {
  return Number(await redis.call('PEXPIRETIME', key))
}

/**
 * Two keys' expiry instants, written by separate scripts: each script sets a relative expiry
 * (PEXPIRE) on Redis's own clock, so instants meant to be equal may differ by the milliseconds
 * that passed on Redis between the two scripts.
 */
function expectSameInstant(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(50)
}

describe('createRedisSessionStorage user index', () => {
  beforeEach(() => {
    user = `ada${++tests}`
    index = `${prefix}user:${user}`
    // Only Date is faked, starting from the real time: Redis itself never sees it.
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(async () => {
    vi.useRealTimers()
    let keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  })

  it('lists only live sessions after 2,000 logins and logouts, with no absolute lifetime', async () => {
    let storage = open({ absoluteTimeout: Infinity })
    let phone = await login(storage)
    for (let cycle = 0; cycle < 2000; cycle++) {
      let session = await storage.read(await login(storage))
      session.destroy()
      expect(await storage.save(session)).toBe('')
    }
    expect(await redis.zrange(index, '0', '-1')).toEqual([phone])
    // The index outlives the session by one idle period, as for every server storage (at least:
    // keys expire relative to Redis's clock when written, and the index was written last).
    let phoneExpiry = await expiresAt(`${prefix}${phone}`)
    expect(await expiresAt(index)).toBeGreaterThanOrEqual(phoneExpiry + 604_800_000 - 50)
  }, 60_000)

  it('drops the old id of a login under a new id, and a session whose user changed', async () => {
    let storage = open()
    let first = await storage.read(await login(storage))
    first.regenerateId(true)
    let second = (await storage.save(first)) as string
    expect(await redis.zrange(index, '0', '-1')).toEqual([second])
    let switched = await storage.read(second)
    switched.set('userId', 'grace')
    await storage.save(switched)
    expect(await redis.exists(index)).toBe(0)
    expect(await redis.zrange(`${prefix}user:grace`, '0', '-1')).toEqual([second])
  })

  it('deletes the record’s index field on logout, and only then', async () => {
    let storage = open()
    let id = await update(storage, null, 'visits', 1)
    await update(storage, id, 'visits', 2)
    expect(await redis.hget(`${prefix}${id}`, 'i')).toBeNull()
    await update(storage, id, 'userId', user)
    let listed = await redis.hget(`${prefix}${id}`, 'i')
    expect(Number(listed)).toBeGreaterThan(Date.now())
    await update(storage, id, 'visits', 3)
    expect(await redis.hmget(`${prefix}${id}`, 'i', 'v:visits')).toEqual([listed, '[3]'])
    await update(storage, id, 'userId', undefined)
    expect(await redis.hget(`${prefix}${id}`, 'i')).toBeNull()
    expect((await storage.read(id)).get('visits')).toBe(3)
  })

  it('lists a session under the user a storage without userKey gave it, at the next save with it', async () => {
    let indexing = open()
    let plain = createRedisSessionStorage({ url, keyPrefix: prefix })
    opened.push(plain)
    let anonymous = await indexing.read(null)
    anonymous.set('visits', 1)
    let id = (await indexing.save(anonymous)) as string
    let elsewhere = await plain.read(id)
    let signingIn = await indexing.read(id)
    signingIn.set('userId', 'grace')
    await indexing.save(signingIn)
    elsewhere.set('userId', user)
    await plain.save(elsewhere)
    let visiting = await indexing.read(id)
    visiting.set('visits', 2)
    await indexing.save(visiting)
    expect(await redis.zrange(index, '0', '-1')).toEqual([id])
    expect(await indexing.destroyUserSessions(user)).toBe(1)
    await redis.del(`${prefix}user:grace`)
  })

  it('is rewritten about once per idle period, always outlives its sessions, and ends a session renewed past its first expiry', async () => {
    let storage = open({ idleTimeout: 600, absoluteTimeout: Infinity })
    let laptop = await login(storage)
    let firstExpiry = await expiresAt(index)
    expectSameInstant(firstExpiry, (await expiresAt(`${prefix}${laptop}`)) + 600_000)
    vi.advanceTimersByTime(400_000)
    await visit(storage, laptop)
    // Still covered: the renewal wrote the session alone.
    expect(await expiresAt(index)).toBe(firstExpiry)
    expect(await expiresAt(`${prefix}${laptop}`)).toBeLessThan(firstExpiry)
    vi.advanceTimersByTime(400_000) // past the laptop's first expiry
    await visit(storage, laptop)
    expectSameInstant(await expiresAt(index), (await expiresAt(`${prefix}${laptop}`)) + 600_000)
    // A second login drops the sessions the index saw expire: not the renewed laptop.
    let phone = await login(storage)
    expect(await redis.zcard(index)).toBe(2)
    expect(await storage.destroyUserSessions(user)).toBe(2)
    for (let id of [laptop, phone]) expect((await storage.read(id)).get('userId')).toBeUndefined()
    expect(await redis.exists(index)).toBe(0)
  })

  it('forgets sessions that expired unused (one idle period later) when the user logs in again', async () => {
    let storage = open({ idleTimeout: 600 })
    for (let device = 0; device < 5; device++) await login(storage)
    vi.advanceTimersByTime(1_201_000)
    let current = await login(storage)
    expect(await redis.zrange(index, '0', '-1')).toEqual([current])
  })
})

describe('createRedisSessionStorage user index, upgraded and under load', () => {
  beforeEach(() => {
    user = `grace${++tests}`
    index = `${prefix}user:${user}`
  })
  afterEach(async () => {
    let keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  })

  it('keeps saving, signing in and out a user whose index the first release wrote as a set', async () => {
    let storage = open()
    // As the first release stored a signed-in session: its hash, and its id in a plain set that
    // expires one absolute lifetime after the last login.
    let old = 'G'.repeat(32)
    let now = `${Date.now()}`
    await redis.hset(`${prefix}${old}`, 'c', now, 't', now, 'v:userId', JSON.stringify([user]))
    await redis.pexpire(`${prefix}${old}`, 604_800_000)
    await redis.sadd(index, old)
    await redis.pexpire(index, 2_592_000_000)
    let session = await storage.read(old)
    session.set('cart', ['mug'])
    expect(await storage.save(session)).toBe(old)
    expect(await redis.type(index)).toBe('zset')
    let phone = await login(storage)
    expect(await storage.destroyUserSessions(user)).toBe(2)
    for (let id of [old, phone]) expect((await storage.read(id)).size).toBe(0)
    expect(await redis.exists(index)).toBe(0)
  })

  it('keeps new live sessions over dead ids carried over from a set index when the cap applies', async () => {
    let storage = open({ maxSessionsPerUser: 3 })
    // A first-release index: 150 ids whose sessions are long gone, expiring in 30 days.
    let dead = Array.from({ length: 150 }, (_, n) => `dead${n}`.padEnd(32, 'x'))
    await redis.sadd(index, ...dead)
    await redis.pexpire(index, 2_592_000_000)
    let ids = [await login(storage), await login(storage), await login(storage)]
    let alive = await Promise.all(ids.map(async (id) => (await storage.read(id)).has('userId')))
    expect(alive).toEqual([true, true, true])
    expect((await redis.zrange(index, '0', '-1')).sort()).toEqual([...ids].sort())
  })

  it('converts a set index on logout and destroyUserSessions too', async () => {
    let storage = open()
    let id = await login(storage)
    let members = await redis.zrange(index, '0', '-1')
    await redis.del(index)
    await redis.sadd(index, ...members)
    let session = await storage.read(id)
    session.destroy()
    expect(await storage.save(session)).toBe('')
    let other = await login(storage)
    await redis.del(index)
    await redis.sadd(index, other)
    expect(await storage.destroyUserSessions(user)).toBe(1)
    expect((await storage.read(other)).size).toBe(0)
  })

  it('ends a user with 9,000 listed sessions, in chunks', async () => {
    let storage = open()
    let live = await login(storage)
    let far = `${Date.now() + 86_400_000}`
    let members = Array.from({ length: 9000 }, (_, n) => [far, `gone${n}`.padEnd(32, 'x')]).flat()
    await redis.zadd(index, ...members)
    expect(await storage.destroyUserSessions(user)).toBe(1)
    expect((await storage.read(live)).size).toBe(0)
    expect(await redis.exists(index)).toBe(0)
  }, 30_000)

  it('ends a login that retires a listed session while destroyUserSessions runs', async () => {
    let client = new Redis(url)
    let adapter = adaptClient(client)
    let onMembers: (() => Promise<unknown>) | undefined
    // The storage's client contract over a real connection: a login runs right after the
    // destroy read the index, before it deletes what it read.
    let interleaving: RedisSessionClient = {
      hgetall: (key) => adapter.hgetall(key),
      async evalScript(script, sha1, keys, args) {
        let reply = await adapter.evalScript(script, sha1, keys, args)
        let hook = script === membersScript.source ? onMembers : undefined
        onMembers = undefined
        await hook?.()
        return reply
      },
    }
    let storage = createRedisSessionStorage(interleaving, { keyPrefix: prefix, userKey: 'userId' })
    let session = await storage.read(await login(storage))
    session.regenerateId(true)
    let login2: string | null | undefined
    onMembers = async () => {
      login2 = await storage.save(session)
    }
    expect(await storage.destroyUserSessions(user)).toBe(1)
    expect(login2).toBe(session.id)
    expect((await storage.read(session.id)).size).toBe(0)
    expect(await redis.exists(`${prefix}${session.id}`)).toBe(0)
    await client.quit()
  })
})

describe('createRedisSessionStorage beside other keys under its keyPrefix', () => {
  afterEach(async () => {
    let keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  })

  it('refuses, changing nothing, to log in a user whose index key holds something else', async () => {
    let storage = open()
    await redis.hset(`${prefix}user:42`, 'name', 'app data')
    await redis.sadd(`${prefix}user:43`, 'config')
    await expect(login(storage, '42')).rejects.toThrow(/keyPrefix must hold sessions only/)
    await expect(login(storage, '43')).rejects.toThrow(/keyPrefix must hold sessions only/)
    expect(await redis.hgetall(`${prefix}user:42`)).toEqual({ name: 'app data' })
    expect(await redis.smembers(`${prefix}user:43`)).toEqual(['config'])
  })

  it('refuses to end the sessions of a key that lists anything but session ids, deleting nothing', async () => {
    let storage = open()
    await redis.set(`${prefix}config`, 'app data')
    await redis.sadd(`${prefix}user:7`, 'config')
    await redis.zadd(`${prefix}user:8`, '9999999999999', 'config')
    await expect(storage.destroyUserSessions(7)).rejects.toThrow(
      /keyPrefix must hold sessions only/,
    )
    await expect(storage.destroyUserSessions(8)).rejects.toThrow(
      /keyPrefix must hold sessions only/,
    )
    expect(await redis.get(`${prefix}config`)).toBe('app data')
    expect(await redis.smembers(`${prefix}user:7`)).toEqual(['config'])
    expect(await redis.zrange(`${prefix}user:8`, '0', '-1')).toEqual(['config'])
  })
})

describe('createRedisSessionStorage with an app clock off from Redis', () => {
  afterEach(async () => {
    vi.useRealTimers()
    let keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  })

  it.each([
    ['behind', -120_000],
    ['ahead of', 120_000],
  ])(
    'lets keys live as long as the options say with the app clock 120 s %s Redis',
    async (_, offset) => {
      user = `skew${++tests}`
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.now() + offset)
      let storage = open({ idleTimeout: 60 })
      let session = await storage.read(await login(storage))
      session.regenerateId(true)
      session.set('userId', user)
      let newId = (await storage.save(session)) as string
      let old = session.deleteId as string
      // Each key counts down from its write, by Redis's own clock: none gone at once, none longer.
      for (let key of [`${prefix}${old}`, `${prefix}${newId}`, `${prefix}user:${user}`]) {
        let ttl = await redis.pttl(key)
        expect(ttl).toBeGreaterThan(0)
        expect(ttl).toBeLessThanOrEqual(120_000)
      }
      // A request still holding the old id answers without clearing the new cookie.
      let late = await storage.read(old)
      late.set('cart', 1)
      expect(await storage.save(late)).toBeNull()
      expect((await storage.read(newId)).get('userId')).toBe(user)
    },
  )
})
