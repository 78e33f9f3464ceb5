import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServerStorageOptions } from '../server-storage.ts'
import { createRedisSessionStorage, type RedisSessionStorage } from './redis.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-index:${process.pid}:${Date.now()}:`
const redis = new Redis(url)
const opened: RedisSessionStorage<unknown, unknown>[] = []
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
async function login(storage: RedisSessionStorage<unknown, unknown>, userId = user) {
  let session = await storage.read(null)
  session.set('userId', userId)
  return (await storage.save(session)) as string
}

/** A request that only uses the session: an unchanged session is renewed when due. */
async function visit(storage: RedisSessionStorage<unknown, unknown>, id: string) {
  let session = await storage.read(id)
  expect(session.get('userId')).toBe(user)
  await storage.save(session)
}

/** When `key` expires, in ms since the epoch (`-1` for never). */
async function expiresAt(key: string): Promise<number> {
  return Number(await redis.call('PEXPIRETIME', key))
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
    // The index outlives the session by one idle period, as for every server storage.
    let phoneExpiry = await expiresAt(`${prefix}${phone}`)
    expect(await expiresAt(index)).toBe(phoneExpiry + 604_800_000)
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

  it('is rewritten about once per idle period, always outlives its sessions, and ends a session renewed past its first expiry', async () => {
    let storage = open({ idleTimeout: 600, absoluteTimeout: Infinity })
    let laptop = await login(storage)
    let firstExpiry = await expiresAt(index)
    expect(firstExpiry).toBe((await expiresAt(`${prefix}${laptop}`)) + 600_000)
    vi.advanceTimersByTime(400_000)
    await visit(storage, laptop)
    // Still covered: the renewal wrote the session alone.
    expect(await expiresAt(index)).toBe(firstExpiry)
    expect(await expiresAt(`${prefix}${laptop}`)).toBeLessThan(firstExpiry)
    vi.advanceTimersByTime(400_000) // past the laptop's first expiry
    await visit(storage, laptop)
    expect(await expiresAt(index)).toBe((await expiresAt(`${prefix}${laptop}`)) + 600_000)
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
