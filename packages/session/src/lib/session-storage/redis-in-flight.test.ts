import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { adaptClient } from '../redis/adapt-client.ts'
import type { RedisSessionClient } from '../redis/redis-client.ts'
import { membersScript, saveScript } from '../redis/redis-scripts.ts'
import type { ServerStorageOptions } from '../server-storage.ts'
import { createRedisSessionStorage, type RedisSessionStorage } from './redis.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-in-flight:${process.pid}:${Date.now()}:`
const redis = new Redis(url)
const connection = new Redis(url)
const adapter = adaptClient(connection)
/** Runs once, just before the next script with this source: how a test pauses a request. */
const pauses = new Map<string, () => Promise<unknown>>()
/** Every command the storage waited for, in order. */
let waits = 0

/**
 * The storage's client contract over a real connection, with `cluster` as given: Cluster mode
 * runs the index update, the save and its checks as separate scripts, exactly as on a Redis
 * Cluster (whose key placement this single server does not need).
 */
function pausingClient(cluster: boolean): RedisSessionClient {
  return {
    cluster,
    hgetall: (key) => {
      waits++
      return adapter.hgetall(key)
    },
    async evalScript(script, sha1, keys, args) {
      waits++
      let pause = pauses.get(script)
      pauses.delete(script)
      await pause?.()
      return adapter.evalScript(script, sha1, keys, args)
    },
  }
}

function open(cluster: boolean, options: ServerStorageOptions = {}) {
  return createRedisSessionStorage(pausingClient(cluster), {
    keyPrefix: prefix,
    userKey: 'userId',
    ...options,
  })
}

/** Signs `user` in on a new session; resolves to its id. */
async function login(storage: RedisSessionStorage, user: string) {
  let session = await storage.read(null)
  session.set('userId', user)
  return storage.save(session)
}

/** Every session key under the prefix that holds a live session (not an index, not a marker). */
async function liveSessionKeys(): Promise<string[]> {
  let keys = await redis.keys(`${prefix}*`)
  let live: string[] = []
  for (let key of keys) {
    if ((await redis.type(key)) === 'hash' && (await redis.hexists(key, 'c'))) live.push(key)
  }
  return live.sort()
}

afterEach(async () => {
  pauses.clear()
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
})

afterAll(async () => {
  await connection.quit()
  await redis.quit()
})

describe('createRedisSessionStorage on Redis Cluster: logins in flight', () => {
  it('ends a login whose save runs after destroyUserSessions, leaving no live session', async () => {
    let storage = open(true)
    let listed = (await login(storage, 'u1')) as string
    let session = await storage.read(listed)
    session.regenerateId(true)
    session.set('userId', 'u1')
    let ended: number | undefined
    // The index script has run (the new id is listed, its record not yet written).
    pauses.set(saveScript.source, async () => {
      ended = await storage.destroyUserSessions('u1')
    })
    expect(await storage.save(session)).toBe('')
    expect(ended).toBe(0) // the old id was already a retired marker, the new one not yet saved
    expect((await storage.read(session.id)).get('userId')).toBeUndefined()
    expect(await liveSessionKeys()).toEqual([])
    expect(await redis.exists(`${prefix}user:u1`)).toBe(0)
  })

  it('never leaves a login the per-user cap evicted mid-save live and unlisted', async () => {
    let storage = open(true, { maxSessionsPerUser: 1 })
    let second: string | null = null
    // Login A is paused after its index update; login B completes meanwhile.
    pauses.set(saveScript.source, async () => {
      second = await login(storage, 'u2')
    })
    let first = await login(storage, 'u2')
    expect(typeof second).toBe('string')
    // Whatever the outcome of A, every live session is listed, and there is at most one.
    let listed = await redis.zrange(`${prefix}user:u2`, '0', '-1')
    let live = await liveSessionKeys()
    expect(live).toEqual(listed.map((id) => `${prefix}${id}`))
    expect(listed).toEqual([second])
    expect(first).toBe('')
    expect(await storage.destroyUserSessions('u2')).toBe(1)
    expect(await liveSessionKeys()).toEqual([])
  })
})

describe.each([
  ['a single server', false],
  ['Redis Cluster', true],
])('createRedisSessionStorage destroyUserSessions on %s', (_, cluster) => {
  it('returns while a client keeps logging in, after at most two passes over the index', async () => {
    let storage = open(cluster)
    for (let device = 0; device < 3; device++) await login(storage, 'u3')
    let passes = 0
    // Each time the call reads the index, another login of the user completes.
    let pauseNext = () => {
      pauses.set(membersScript.source, async () => {
        // At most 20: code that loops until the index is empty would otherwise never return.
        if (++passes < 20) {
          await login(storage, 'u3')
          pauseNext()
        }
      })
    }
    pauseNext()
    expect(await storage.destroyUserSessions('u3')).toBeGreaterThanOrEqual(3)
    expect(passes).toBe(2)
  })
})

describe('createRedisSessionStorage round trips on Redis Cluster, counted at the client', () => {
  /** How many commands `task` waits for (each its own round trip: none are sent together here). */
  async function counted(task: () => Promise<unknown>): Promise<number> {
    waits = 0
    await task()
    return waits
  }

  it('counts each request of the README table', async () => {
    let storage = open(true)
    let id = (await login(storage, 'u4')) as string
    let changes = await counted(async () => {
      let session = await storage.read(id)
      session.set('cart', 1)
      await storage.save(session)
    })
    let rotation = await counted(async () => {
      let session = await storage.read(id)
      session.regenerateId()
      id = (await storage.save(session)) as string
    })
    let fresh = await counted(async () => {
      let session = await storage.read(id)
      session.regenerateId(true)
      session.set('userId', 'u4')
      id = (await storage.save(session)) as string
    })
    let logout = await counted(async () => {
      let session = await storage.read(id)
      session.destroy()
      await storage.save(session)
    })
    expect({ changes, rotation, fresh, logout }).toEqual({
      changes: 2,
      rotation: 5,
      fresh: 6,
      logout: 3,
    })
  })
})
