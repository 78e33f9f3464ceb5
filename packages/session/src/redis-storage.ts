export type {
  RedisSessionStorage,
  RedisSessionStorageOptions,
} from './lib/session-storage/redis.ts'
export { createRedisSessionStorage } from './lib/session-storage/redis.ts'
