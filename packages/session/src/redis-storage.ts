export type { RedisClient } from './lib/redis/adapt-client.ts'
export { RedisTimeoutError } from './lib/redis/command-timeout.ts'
export type { IoredisConnection } from './lib/redis/ioredis-adapter.ts'
export type { NodeRedisConnection } from './lib/redis/node-redis-adapter.ts'
export type { RedisSessionClient } from './lib/redis/redis-client.ts'
export type {
  RedisClientStorageOptions,
  RedisSessionStorage,
  RedisSessionStorageOptions,
} from './lib/session-storage/redis.ts'
export { createRedisSessionStorage } from './lib/session-storage/redis.ts'
