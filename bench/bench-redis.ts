import { Redis } from 'ioredis'
import { redisUrl } from './config.ts'

/**
 * A connected ioredis client of the Redis at `url` (default `REDIS_URL`), for the bench's own
 * reads and clean-up (one retry per command). Disconnect it when done.
 *
 * @throws {Error} when Redis cannot be reached; the client is disconnected then.
 */
export async function connectBenchRedis(url = redisUrl): Promise<Redis> {
  let client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw error
  }
  return client
}
