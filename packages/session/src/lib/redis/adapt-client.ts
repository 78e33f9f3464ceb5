import { adaptIoredis, type IoredisConnection, isIoredis } from './ioredis-adapter.ts'
import { adaptNodeRedis, isNodeRedis, type NodeRedisConnection } from './node-redis-adapter.ts'
import type { RedisSessionClient } from './redis-client.ts'

/** A client the Redis storage accepts: ioredis, node-redis, or its own small contract. */
export type RedisClient = IoredisConnection | NodeRedisConnection | RedisSessionClient

/**
 * The {@link RedisSessionClient} for a client given to the storage, told apart by its methods
 * (neither library is imported): ioredis has `evalsha`, node-redis `evalSha`.
 *
 * @throws {TypeError} for anything else.
 */
export function adaptClient(client: object): RedisSessionClient {
  if (isIoredis(client)) return adaptIoredis(client)
  if (isNodeRedis(client)) return adaptNodeRedis(client)
  let contract = client as Partial<RedisSessionClient>
  if (typeof contract.hgetall === 'function' && typeof contract.evalScript === 'function') {
    return contract as RedisSessionClient
  }
  throw new TypeError(
    'createRedisSessionStorage(): `client` must be an ioredis or node-redis client, or implement RedisSessionClient',
  )
}
