import { adaptClient, type RedisClient } from '../redis/adapt-client.ts'
import { withCommandTimeout } from '../redis/command-timeout.ts'
import { connectNodeRedis } from '../redis/node-redis-connection.ts'
import { RedisRecords } from '../redis/redis-records.ts'
import {
  type ServerSessionStorage,
  ServerStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionSchema } from '../session-schema.ts'

/** Options for {@link createRedisSessionStorage}: give `url` or `client`. */
export interface RedisSessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ServerStorageOptions<Schema> {
  /**
   * A `redis://` or `rediss://` URL (`redis://user:password@host:6379/0`): the storage connects by
   * itself with node-redis (install the `redis` package), once, however many requests arrive
   * before the connection is up; it fails fast while Redis is unreachable, reconnects in the
   * background, and `close()` disconnects it (after the replies under way, waiting at most
   * `commandTimeout`).
   *
   * @throws {TypeError} (from the factory) for an empty string.
   */
  url?: string
  /**
   * A connection the app shares: an ioredis `Redis` or `Cluster`, a node-redis client
   * (`createClient`, connected) or cluster (`createCluster`), or any {@link RedisSessionClient}.
   * A node-redis client made with a `typeMapping` is used through `withTypeMapping({})`
   * (node-redis's default types), one without as it is; an ioredis client with `stringNumbers` on
   * (in its options, a `Cluster`'s `redisOptions`, one of its startup nodes or an entry of an
   * object `natMap`, a url's query too) is a `TypeError` (ioredis cannot turn it off per
   * command). `close()` leaves it open: it is yours. Configure it to fail fast (ioredis:
   * `enableOfflineQueue: false, maxRetriesPerRequest: 0`; node-redis: `disableOfflineQueue: true`),
   * or requests wait up to `commandTimeout` while Redis is down.
   */
  client?: RedisClient
  /** Put before each session id to make its key. Default `'session:'`. */
  keyPrefix?: string
  /**
   * Milliseconds each Redis command may take before `read`, `save` or `destroyUserSessions`
   * rejects (the session middleware then answers `503`): a stalled Redis (a long script, a paused
   * or swapping server, a peer gone without a reset) fails requests within this time instead of
   * holding them for the whole stall. The command is not cancelled: a save that timed out may
   * still be applied when Redis resumes. Includes the wait for the first connection. Default
   * `2000`; `Infinity` turns it off.
   *
   * @throws {TypeError} (from the factory) unless a positive number.
   */
  commandTimeout?: number
  /**
   * Remix's name for `idleTimeout`, in seconds: a session ends this long after its last use (each
   * use renews it). `absoluteTimeout` still applies (default 30 days). Give `ttl` or
   * `idleTimeout`, not both.
   *
   * @throws {TypeError} (from the factory) when given with `idleTimeout`, or not positive.
   */
  ttl?: number
}

/** The options after a client in Remix's call shape, `createRedisSessionStorage(client, options)`. */
export type RedisClientStorageOptions<Schema extends SessionSchema = SessionSchema> = Omit<
  RedisSessionStorageOptions<Schema>,
  'url' | 'client'
>

/** A Redis-backed session storage that can be closed. */
export type RedisSessionStorage<Schema extends SessionSchema = SessionSchema> =
  ServerSessionStorage<Schema> & {
    /** Closes the connection the storage opened from `url`; a `client` you gave stays open. */
    close(): Promise<void>
  }

/**
 * Keeps each session in a Redis hash (`<keyPrefix><id>`): one field per value, so a save writes
 * only what the request changed, in one atomic Lua script that also sets the key's expiry (the
 * idle timeout, capped by the absolute lifetime) and, with `userKey`, the user's index. A read and
 * a save are two round trips. Servers that share the Redis share sessions, and concurrent
 * requests that change different keys all persist. When Redis is unreachable or stalls, `read`
 * and `save` reject (within `commandTimeout`; the session middleware answers `503`); they succeed
 * again once it is back. Corrupt data under a key reads as a fresh session.
 *
 * Two call shapes: `createRedisSessionStorage({ url })` or `({ client })`, and Remix's
 * `createRedisSessionStorage(client, { ttl, keyPrefix, useUnknownIds })`.
 *
 * @example
 * const storage = createRedisSessionStorage({ url: process.env.REDIS_URL })
 * @example
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect() // node-redis
 * const storage = createRedisSessionStorage(redis, { ttl: 60 * 60 * 24 })
 * @throws {TypeError} unless exactly one of `url` and `client` is given, for a client that is
 * neither ioredis nor node-redis, for an ioredis client made with `stringNumbers` on (a
 * `Cluster` in its `redisOptions`, a startup node or an object `natMap`), a
 * node-redis one in legacy mode (`client.legacy()`) or with a `typeMapping` and no
 * `withTypeMapping`, or for invalid options.
 */
export function createRedisSessionStorage<Schema extends SessionSchema = SessionSchema>(
  options: RedisSessionStorageOptions<Schema>,
): RedisSessionStorage<Schema>
export function createRedisSessionStorage<Schema extends SessionSchema = SessionSchema>(
  client: RedisClient,
  options?: RedisClientStorageOptions<Schema>,
): RedisSessionStorage<Schema>
export function createRedisSessionStorage(
  first: RedisSessionStorageOptions | RedisClient,
  second?: RedisClientStorageOptions,
): RedisSessionStorage {
  let options: RedisSessionStorageOptions = isClientLike(first)
    ? { ...second, client: first }
    : (first as RedisSessionStorageOptions)
  if ((options.url === undefined) === (options.client === undefined)) {
    throw new TypeError('createRedisSessionStorage(): give either `url` or `client`')
  }
  let timeout = options.commandTimeout ?? 2000
  if (typeof timeout !== 'number' || !(timeout > 0)) {
    throw new TypeError(`commandTimeout must be a positive number of milliseconds, got ${timeout}`)
  }
  if (options.url !== undefined && (typeof options.url !== 'string' || options.url === '')) {
    throw new TypeError('createRedisSessionStorage(): `url` must be a non-empty redis:// URL')
  }
  // The own connection bounds each command itself, with one promise per command fewer.
  let client =
    options.url === undefined
      ? withCommandTimeout(adaptClient(options.client as object), timeout)
      : connectNodeRedis(options.url, timeout)
  let records = new RedisRecords(client, options.keyPrefix ?? 'session:')
  let storage = new ServerStorage(records, withTtl(options))
  return Object.assign(storage, {
    close: async () => client.close?.(),
  }) as unknown as RedisSessionStorage
}

/** Whether the first argument is a client (Remix's call shape) rather than options. */
function isClientLike(value: unknown): value is RedisClient {
  if (typeof value !== 'object' || value === null) return false
  let candidate = value as Record<string, unknown>
  return ['hgetall', 'hGetAll', 'evalScript'].some((name) => typeof candidate[name] === 'function')
}

/** The options with Remix's `ttl` (seconds) turned into `idleTimeout`. */
function withTtl(options: RedisSessionStorageOptions): RedisSessionStorageOptions {
  if (options.ttl === undefined) return options
  if (options.idleTimeout !== undefined) {
    throw new TypeError('createRedisSessionStorage(): give `ttl` or `idleTimeout`, not both')
  }
  if (typeof options.ttl !== 'number' || !(options.ttl > 0)) {
    throw new TypeError(`ttl must be a positive number of seconds, got ${options.ttl}`)
  }
  return { ...options, idleTimeout: options.ttl }
}
