import { Redis } from 'ioredis'
import { createClient, RESP_TYPES } from 'redis'
import { createClient as createClient5, RESP_TYPES as RESP_TYPES_5 } from 'redis-5'
import { afterAll, describe, expect, it } from 'vitest'
import { describeSessionStorage } from '../../test/storage-conformance.ts'
import { createRedisSessionStorage } from './redis.ts'

// node-redis clients whose replies are not Redis's types: integers as strings, strings as Buffers,
// and (RESP3) hashes as Maps. The storage's commands must not see their mapping: read as given, a
// script's `1` would be '1' (a cap unlisting live sessions, a sign-out ending none) and every
// stored value a Buffer that does not parse.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-type-mapping:${process.pid}:${Date.now()}:`
const mapped6 = createClient({
  url,
  RESP: 3,
  commandOptions: {
    typeMapping: {
      [RESP_TYPES.NUMBER]: String,
      [RESP_TYPES.BLOB_STRING]: Buffer,
      [RESP_TYPES.MAP]: Map,
    },
  },
})
const mapped5 = createClient5({
  url,
  commandOptions: {
    typeMapping: { [RESP_TYPES_5.NUMBER]: String, [RESP_TYPES_5.BLOB_STRING]: Buffer },
  },
})
for (let client of [mapped6, mapped5]) client.on('error', () => {})
await Promise.all([mapped6.connect(), mapped5.connect()])

afterAll(async () => {
  let redis = new Redis(url)
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
  await Promise.all([mapped6.close(), mapped5.close()])
})

describeSessionStorage(
  'createRedisSessionStorage(node-redis 6 client mapping numbers, strings and maps)',
  (options) => createRedisSessionStorage(mapped6, { keyPrefix: `${prefix}6:`, ...options }),
  { serverSide: true, reopens: true },
)

describeSessionStorage(
  'createRedisSessionStorage(node-redis 5 client mapping numbers and strings)',
  (options) => createRedisSessionStorage(mapped5, { keyPrefix: `${prefix}5:`, ...options }),
  { serverSide: true, reopens: true },
)

describe('createRedisSessionStorage(node-redis client without a typeMapping)', () => {
  it('uses the client as it is: its client-side cache serves the reads of an unchanged session', async () => {
    let client = createClient({ url, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } })
    client.on('error', () => {})
    await client.connect()
    try {
      let storage = createRedisSessionStorage(client, { keyPrefix: `${prefix}cached:` })
      let session = await storage.read(null)
      session.set('user', 'ada')
      let id = (await storage.save(session)) as string
      for (let read = 0; read < 5; read++) expect((await storage.read(id)).get('user')).toBe('ada')
      expect(client.clientSideCache?.stats().hitCount).toBeGreaterThanOrEqual(4)
    } finally {
      await client.close()
    }
  })
})
