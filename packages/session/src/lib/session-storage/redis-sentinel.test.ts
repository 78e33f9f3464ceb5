import { RedisSentinels } from '@x/test-kit'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { CounterLoad } from '../../test/failover-load.ts'
import { createRedisSessionStorage } from './redis.ts'

// A master, a replica and three sentinels of this file's own, on free loopback ports.
const topology = await RedisSentinels.start()
const redis = new Redis({
  sentinels: topology.addresses,
  name: topology.name,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => 100,
})
redis.on('error', () => {})
await new Promise<void>((resolve) => redis.once('ready', () => resolve()))

afterAll(async () => {
  redis.disconnect()
  await topology.stop()
})

describe('createRedisSessionStorage behind Redis Sentinel: the master dies under load', () => {
  let figures: CounterLoad['figures'] | undefined

  afterAll(() => {
    if (figures !== undefined) console.info('Redis Sentinel failover:', JSON.stringify(figures))
  })

  it('answers 503 until the sentinels promote the replica, then succeeds, losing no replicated save', async () => {
    let storage = createRedisSessionStorage(redis, { commandTimeout: 1000 })
    let load = new CounterLoad(storage)
    await load.seed(64)
    load.start(16)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await load.stop()
    await topology.waitForReplication()
    let replicated = new Map(load.acknowledged)
    load.start(16)
    await new Promise((resolve) => setTimeout(resolve, 500))
    await topology.master.kill()
    await topology.waitForPromotion()
    await everyRequestSucceeds(load, [...replicated.keys()])
    await load.stop()
    figures = { ...load.figures }
    expect(load.figures.other).toEqual([])
    expect(load.figures.failed).toBeGreaterThan(0)
    let after = await Promise.all([...replicated.keys()].map((id) => load.request(id)))
    expect(after).toEqual(after.map(() => 200))
    expect(await load.missing(replicated)).toEqual([])
  }, 120_000)
})

/** Resolves once a round of requests to every session all get 200 (at most 100 rounds). */
async function everyRequestSucceeds(load: CounterLoad, ids: string[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    let statuses = await Promise.all(ids.map((id) => load.request(id)))
    if (statuses.every((status) => status === 200)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('Requests still fail 10 seconds after the failover')
}
