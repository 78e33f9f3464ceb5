import { RedisSentinels } from '@x/test-kit'
import { Redis } from 'ioredis'
import { createSentinel } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FailoverFigures, failOverUnderLoad } from '../../test/failover-load.ts'
import { createRedisSessionStorage } from './redis.ts'

// A master, a replica and three sentinels of this file's own, on free loopback ports; started in
// a hook, so a run that filters out every test here starts (and leaves) nothing.
let topology: RedisSentinels
let redis: Redis

beforeAll(async () => {
  topology = await RedisSentinels.start()
  redis = new Redis({
    sentinels: topology.addresses,
    name: topology.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 100,
  })
  redis.on('error', () => {})
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()))
}, 60_000)

afterAll(async () => {
  redis?.disconnect()
  await topology?.stop()
})

describe('createRedisSessionStorage on a node-redis sentinel', () => {
  it('keeps sessions through the sentinel and through a client it leases', async () => {
    let sentinel = createSentinel({ name: topology.name, sentinelRootNodes: topology.addresses })
    sentinel.on('error', () => {})
    await sentinel.connect()
    try {
      await roundTrip(sentinel)
      // The lease holds the sentinel's only master client until released.
      let lease = await sentinel.acquire()
      try {
        await roundTrip(lease)
      } finally {
        lease.release()
      }
    } finally {
      await sentinel.close()
    }
  })
})

/** Saves a session through `client`, reads it back, and ends it. */
async function roundTrip(client: Parameters<typeof createRedisSessionStorage>[0]) {
  let storage = createRedisSessionStorage(client, { keyPrefix: 'leased:' })
  let session = await storage.read(null)
  session.set('user', 'ada')
  let id = (await storage.save(session)) as string
  let read = await storage.read(id)
  expect(read.get('user')).toBe('ada')
  read.destroy()
  await storage.save(read)
  expect((await storage.read(id)).get('user')).toBeUndefined()
}

describe('createRedisSessionStorage behind Redis Sentinel: the master dies under load', () => {
  let figures: FailoverFigures | undefined

  afterAll(() => {
    if (figures !== undefined) console.info('Redis Sentinel failover:', JSON.stringify(figures))
  })

  it('answers 503 until the sentinels promote the replica, then succeeds, losing no replicated save', async () => {
    let storage = createRedisSessionStorage(redis, { commandTimeout: 1000 })
    figures = await failOverUnderLoad(storage, {
      waitForReplication: () => topology.waitForReplication(),
      failOver: async () => {
        await topology.master.kill()
        await topology.waitForPromotion()
      },
    })
  }, 120_000)
})
