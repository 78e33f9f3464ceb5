import type { RedisSessionClient } from './redis-client.ts'
import { isNoScript } from './redis-client.ts'

/**
 * The part of an ioredis `Redis` or `Cluster` the storage uses. Declared here, not imported, so
 * that node-redis users do not need ioredis installed, not even for its types.
 */
export interface IoredisConnection {
  /**
   * `'wait'` until a `lazyConnect` connection is first used; `'connecting'`, `'connect'` or
   * `'reconnecting'` while an attempt is under way; `'ready'` once connected.
   */
  readonly status: string
  /** `true` for a `Cluster`. */
  readonly isCluster: boolean
  /** Connects a `lazyConnect` connection. */
  connect(): Promise<void>
  /** `HGETALL`. */
  hgetall(key: string): Promise<Record<string, string>>
  /** `EVALSHA`. */
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>
  /** `EVAL`. */
  eval(script: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>
  /** Ends the connection after the replies it waits for. */
  quit(): Promise<unknown>
  /** Ends the connection at once. */
  disconnect(): void
  /** Listens once for an event (`'ready'`, `'close'`, `'end'`). */
  once(event: string, listener: () => void): unknown
  /** Stops listening. */
  removeListener(event: string, listener: () => void): unknown
}

/** The statuses in which a connection attempt is under way: a command waits for its end. */
const attempting = new Set(['connecting', 'connect', 'reconnecting'])
/** The events that end a connection attempt, in success or failure. */
const attemptEnds = ['ready', 'close', 'end']

/** Whether `client` looks like an ioredis `Redis` or `Cluster`. */
export function isIoredis(client: object): client is IoredisConnection {
  let candidate = client as Partial<IoredisConnection>
  return typeof candidate.hgetall === 'function' && typeof candidate.evalsha === 'function'
}

/**
 * Adapts an ioredis connection. A `lazyConnect` connection is connected on first use, once: every
 * request that arrives meanwhile waits for that one attempt instead of failing because the
 * connection is not ready yet. So does a request that finds any other connection attempt under
 * way (a client made without `lazyConnect`, which starts connecting at once, or a reconnection):
 * it waits for the attempt to end (the caller's `commandTimeout` bounds the wait), then runs, and
 * fails at once if the attempt failed. `owned` connections are closed by `close()`.
 */
export function adaptIoredis(redis: IoredisConnection, owned: boolean): RedisSessionClient {
  let connecting: Promise<void> | undefined
  let attempt: Promise<void> | undefined
  // One set of listeners for every request waiting on the same attempt.
  function attemptEnded(): Promise<void> {
    attempt ??= new Promise<void>((resolve) => {
      let ended = () => {
        for (let event of attemptEnds) redis.removeListener(event, ended)
        attempt = undefined
        resolve()
      }
      for (let event of attemptEnds) redis.once(event, ended)
    })
    return attempt
  }
  async function ready(): Promise<IoredisConnection> {
    if (redis.status === 'wait' && connecting === undefined) {
      connecting = redis.connect().finally(() => {
        connecting = undefined
      })
    }
    if (connecting !== undefined) await connecting
    else if (attempting.has(redis.status)) await attemptEnded()
    return redis
  }
  return {
    cluster: redis.isCluster === true,
    async hgetall(key) {
      return (await ready()).hgetall(key)
    },
    async evalScript(script, sha1, keys, args) {
      let connection = await ready()
      try {
        return await connection.evalsha(sha1, keys.length, ...keys, ...args)
      } catch (error) {
        if (!isNoScript(error)) throw error
        return connection.eval(script, keys.length, ...keys, ...args)
      }
    },
    close: owned
      ? async () => {
          if (redis.status !== 'end') await redis.quit().catch(() => redis.disconnect())
        }
      : undefined,
  }
}

/**
 * The storage's own ioredis connection to `url`, imported on first use so that node-redis users
 * need not install ioredis. It fails fast while Redis is unreachable (no offline queue, no
 * retries), reconnects in the background, and pipelines the commands of concurrent requests
 * (`enableAutoPipelining`).
 */
export function connectIoredis(url: string): RedisSessionClient {
  let adapter: Promise<RedisSessionClient> | undefined
  let closed = false
  function open(): Promise<RedisSessionClient> {
    adapter ??= import('ioredis').then(
      ({ Redis }) => {
        let redis = new Redis(url, {
          lazyConnect: true,
          // Concurrent requests' commands go out in one write: measured 8 to 30% more
          // read+save cycles per second with 50 concurrent loops.
          enableAutoPipelining: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
        })
        // Connection errors reach the caller through the commands that fail; without a listener
        // ioredis would also print each reconnection attempt.
        redis.on('error', () => {})
        return adaptIoredis(redis as unknown as IoredisConnection, true)
      },
      (cause: unknown) => {
        throw new Error(
          'createRedisSessionStorage({ url }) connects with ioredis, which is not installed: install it, or give a node-redis client',
          { cause },
        )
      },
    )
    return adapter
  }
  return {
    async hgetall(key) {
      if (closed) throw new Error('The Redis session storage was closed')
      return (await open()).hgetall(key)
    },
    async evalScript(script, sha1, keys, args) {
      if (closed) throw new Error('The Redis session storage was closed')
      return (await open()).evalScript(script, sha1, keys, args)
    },
    async close() {
      closed = true
      if (adapter !== undefined) await (await adapter.catch(() => undefined))?.close?.()
    },
  }
}
