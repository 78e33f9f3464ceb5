import type { RedisSessionClient } from './redis-client.ts'
import { isNoScript } from './redis-client.ts'

/**
 * The part of an ioredis `Redis` or `Cluster` the storage uses. Declared here, not imported, so
 * that node-redis users do not need ioredis installed, not even for its types.
 */
export interface IoredisConnection {
  /** `'wait'` until a `lazyConnect` connection is first used; `'ready'` once connected. */
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
}

/** Whether `client` looks like an ioredis `Redis` or `Cluster`. */
export function isIoredis(client: object): client is IoredisConnection {
  let candidate = client as Partial<IoredisConnection>
  return typeof candidate.hgetall === 'function' && typeof candidate.evalsha === 'function'
}

/**
 * Adapts an ioredis connection. A `lazyConnect` connection is connected on first use, once: every
 * request that arrives meanwhile waits for that one attempt instead of failing because the
 * connection is not ready yet. `owned` connections are closed by `close()`.
 */
export function adaptIoredis(redis: IoredisConnection, owned: boolean): RedisSessionClient {
  let connecting: Promise<void> | undefined
  async function ready(): Promise<IoredisConnection> {
    if (redis.status === 'wait' && connecting === undefined) {
      connecting = redis.connect().finally(() => {
        connecting = undefined
      })
    }
    if (connecting !== undefined) await connecting
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
 * retries) and reconnects in the background.
 */
export function connectIoredis(url: string): RedisSessionClient {
  let adapter: Promise<RedisSessionClient> | undefined
  let closed = false
  function open(): Promise<RedisSessionClient> {
    adapter ??= import('ioredis').then(
      ({ Redis }) => {
        let redis = new Redis(url, {
          lazyConnect: true,
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
