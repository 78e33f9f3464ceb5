import { RedisSentinels } from '@x/test-kit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, it } from 'vitest'
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
