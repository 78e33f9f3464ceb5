import { type EventSource, nextEventOf } from './next-event.ts'
import { adaptNodeRedis, type NodeRedisConnection } from './node-redis-adapter.ts'
import type { RedisSessionClient } from './redis-client.ts'

/** The part of a node-redis client the storage's own connection uses beyond its commands. */
interface OwnedClient extends NodeRedisConnection, EventSource {
  readonly isReady: boolean
  connect(): Promise<unknown>
  close(): Promise<unknown>
  destroy(): void
  on(event: string, listener: () => void): unknown
}

/** The events that end a connection attempt, in success or failure. */
const attemptEnds = ['ready', 'error']

/**
 * The storage's own node-redis connection to `url`, imported and connected on first use, so that
 * ioredis users need not install node-redis. Every request that arrives while a connection
 * attempt is under way (the first one, or a reconnection) waits for that one attempt (the
 * caller's `commandTimeout` bounds the wait), then runs, and fails at once if it failed. While
 * Redis is unreachable commands fail at once (no offline queue), and the client reconnects in
 * the background (100 ms after the first failure, then up to 1 s apart). node-redis writes the
 * commands of concurrent requests in one write.
 */
export function connectNodeRedis(url: string): RedisSessionClient {
  let connection: Promise<Connection> | undefined
  let opened: Connection | undefined
  let closed = false
  function open(): Promise<Connection> {
    connection ??= import('redis').then(
      ({ createClient }) => {
        opened = watchAttempts(createClient({ url, ...clientOptions }) as OwnedClient)
        return opened
      },
      (cause: unknown) => {
        throw new Error(
          'createRedisSessionStorage({ url }) connects with node-redis (the `redis` package), which is not installed: install it, or give an ioredis client',
          { cause },
        )
      },
    )
    return connection
  }
  async function afterAttempt(): Promise<RedisSessionClient> {
    if (closed) throw new Error('The Redis session storage was closed')
    let { commands, ready } = await open()
    await ready()
    return commands
  }
  /** The commands, when no connection attempt is under way (the common case: no wait at all). */
  function usable(): RedisSessionClient | undefined {
    return !closed && opened?.attempting() === false ? opened.commands : undefined
  }
  return {
    hgetall(key) {
      let commands = usable()
      if (commands !== undefined) return commands.hgetall(key)
      return afterAttempt().then((later) => later.hgetall(key))
    },
    evalScript(script, sha1, keys, args) {
      let commands = usable()
      if (commands !== undefined) return commands.evalScript(script, sha1, keys, args)
      return afterAttempt().then((later) => later.evalScript(script, sha1, keys, args))
    },
    async close() {
      closed = true
      let client = (await connection?.catch(() => undefined))?.client
      if (client === undefined) return
      // A client between attempts (or in one) has nothing to flush: end it at once.
      if (client.isReady) await client.close().catch(() => client.destroy())
      else client.destroy()
    },
  }
}

/** The storage's own client, its commands, and its connection attempts. */
interface Connection {
  client: OwnedClient
  commands: RedisSessionClient
  /** Whether a connection attempt is under way. */
  attempting(): boolean
  /** Resolves when no attempt is under way: at once, or when the one under way ends. */
  ready(): Promise<void>
}

const clientOptions = {
  // Fail fast while Redis is unreachable, instead of queueing requests until it is back.
  disableOfflineQueue: true,
  // The storage's own `commandTimeout` bounds each command. node-redis 6's own default (5 s, an
  // AbortSignal per command) measured 4× the client CPU of a command without it.
  commandOptions: { timeout: 0 },
  socket: { reconnectStrategy: (retries: number) => Math.min((retries + 1) * 100, 1000) },
}

/** Connects `client` and tracks its connection attempts. */
function watchAttempts(client: OwnedClient): Connection {
  let attempting = true
  // Errors reach the caller through the commands that fail; without a listener node-redis would
  // crash the process on the first one.
  client.on('error', () => {
    attempting = false
  })
  client.on('ready', () => {
    attempting = false
  })
  client.on('reconnecting', () => {
    attempting = true
  })
  // Rejects only when closed while connecting; a failed attempt is an 'error' event.
  client.connect().catch(() => {})
  let attemptEnded = nextEventOf(client, attemptEnds)
  let ready = () => (attempting ? attemptEnded() : Promise.resolve())
  return { client, commands: adaptNodeRedis(client), attempting: () => attempting, ready }
}
