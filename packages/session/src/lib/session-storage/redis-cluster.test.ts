import { RedisCluster } from '@x/test-kit'
import { Cluster } from 'ioredis'
import { createCluster, RESP_TYPES } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FailoverFigures, failOverUnderLoad } from '../../test/failover-load.ts'
import { describeSessionStorage } from '../../test/storage-conformance.ts'
import { createRedisSessionStorage } from './redis.ts'

// A cluster of this file's own: 3 masters, 3 replicas, on free loopback ports; started in a hook,
// so a run that filters out every test here starts (and leaves) nothing.
let cluster: RedisCluster
let ioredis: Cluster
let nodeRedis: ReturnType<typeof createCluster>
const prefix = 'session:'

beforeAll(async () => {
  cluster = await RedisCluster.start()
  ioredis = new Cluster(cluster.seeds, {
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 0 },
    clusterRetryStrategy: () => 200,
  })
  ioredis.on('error', () => {})
  await new Promise<void>((resolve) => ioredis.once('ready', () => resolve()))
  nodeRedis = createCluster({
    rootNodes: cluster.seeds.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
  })
  nodeRedis.on('error', () => {})
  await nodeRedis.connect()
}, 60_000)

afterAll(async () => {
  ioredis?.disconnect()
  await nodeRedis?.close()
  await cluster?.stop()
})

describeSessionStorage(
  'createRedisSessionStorage(ioredis Cluster)',
  (options) => createRedisSessionStorage(ioredis, { keyPrefix: prefix, ...options }),
  { serverSide: true, reopens: true },
)

describeSessionStorage(
  'createRedisSessionStorage(node-redis createCluster)',
  (options) => createRedisSessionStorage(nodeRedis, { keyPrefix: prefix, ...options }),
  { serverSide: true, reopens: true },
)

describe('createRedisSessionStorage on Redis Cluster', () => {
  it('keeps a user index the other client reads, whichever node holds it', async () => {
    let first = createRedisSessionStorage(ioredis, { userKey: 'user' })
    let second = createRedisSessionStorage(nodeRedis, { userKey: 'user' })
    let ids: string[] = []
    for (let device = 0; device < 6; device++) {
      let session = await first.read(null)
      session.set('user', 'ada')
      ids.push((await first.save(session)) as string)
    }
    expect(await second.destroyUserSessions('ada')).toBe(6)
    for (let id of ids) expect((await first.read(id)).get('user')).toBeUndefined()
  })

  it('keeps sessions and signs out everywhere through a cluster whose replies map Redis types', async () => {
    // Integers as strings, strings as Buffers: the storage's commands run with node-redis's defaults.
    let mapped = nodeRedis.withTypeMapping({
      [RESP_TYPES.NUMBER]: String,
      [RESP_TYPES.BLOB_STRING]: Buffer,
    })
    let storage = createRedisSessionStorage(mapped, { userKey: 'user', maxSessionsPerUser: 4 })
    let ids: string[] = []
    for (let device = 0; device < 6; device++) {
      let session = await storage.read(null)
      session.set('user', 'grace')
      session.set('since', new Date(device))
      ids.push((await storage.save(session)) as string)
    }
    expect((await storage.read(ids[5] as string)).get('since')).toEqual(new Date(5))
    expect(await storage.listUserSessions('grace')).toHaveLength(4)
    expect(await storage.destroyUserSessions('grace')).toBe(4)
    for (let id of ids) expect((await storage.read(id)).get('user')).toBeUndefined()
  })
})

describe('createRedisSessionStorage on Redis Cluster: a master dies under load', () => {
  let figures: FailoverFigures | undefined

  afterAll(() => {
    if (figures !== undefined) console.info('Redis Cluster failover:', JSON.stringify(figures))
  })

  it('answers 503 for the dead master’s slots until its replica takes over, then succeeds, losing no replicated save', async () => {
    let storage = createRedisSessionStorage(ioredis, { commandTimeout: 1000 })
    figures = await failOverUnderLoad(storage, {
      waitForReplication: () => cluster.waitForReplication(),
      failOver: async (ids) => {
        let victim = await cluster.masterOf(`${prefix}${ids[0]}`)
        await victim.kill()
        await cluster.waitUntilReady()
      },
    })
  }, 120_000)
})
