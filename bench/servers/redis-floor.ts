import { createClient } from 'redis-6'
import { redisUrl } from '../config.ts'
import { cookieMaxAge } from './counter.ts'

/** The Redis floor's two round trips, on one node-redis client. */
export interface FloorRedis {
  /** The count stored for session `id` (`HGETALL`); `undefined` when there is none. */
  readCount(id: string): Promise<string | undefined>
  /** Stores `count` for session `id` with the last use, and renews its expiry (one script). */
  writeCount(id: string, count: string): Promise<unknown>
  close(): Promise<void>
}

const saveScript = `redis.call('HSET', KEYS[1], 'count', ARGV[1], 't', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`

/**
 * Connects the Redis floor's client (`redisUrl`), keys under `prefix`: a hash per session, read
 * with `HGETALL` and written by a script that sets the count and the last use and renews the key's
 * expiry (the cookie's lifetime), over node-redis's `sendCommand` (no command builders, no
 * timeout): the same node-redis 6 as the Redis storage's own connection (the bench's `redis` is 5,
 * for connect-redis), the same two round trips.
 */
export async function connectFloorRedis(prefix: string): Promise<FloorRedis> {
  let idleMs = `${cookieMaxAge * 1000}`
  let client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    commandOptions: { timeout: 0 },
  })
  client.on('error', (error) => console.error('redis:', error))
  await client.connect()
  let sha1 = String(await client.sendCommand(['SCRIPT', 'LOAD', saveScript]))
  return {
    async readCount(id) {
      // node-redis 6 speaks RESP3, whose `HGETALL` reply is an object.
      let reply = (await client.sendCommand(['HGETALL', `${prefix}${id}`])) as { count?: string }
      return reply.count
    },
    // The command's own promise, as the floor awaited it before this module: no frame of its own.
    writeCount: (id, count) =>
      client.sendCommand(['EVALSHA', sha1, '1', `${prefix}${id}`, count, `${Date.now()}`, idleMs]),
    close: () => client.close(),
  }
}
