import { nextEventOf } from './next-event.ts'
import { evalOnNoScript, type RedisSessionClient } from './redis-client.ts'

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
  /**
   * A `Redis`'s options (a `Cluster`'s hold its connections' as `redisOptions`); from a url's
   * query, `stringNumbers` is a string, on when truthy.
   */
  readonly options?: {
    stringNumbers?: unknown
    redisOptions?: { stringNumbers?: unknown }
    natMap?: unknown
  }
  /** Connects a `lazyConnect` connection. */
  connect(): Promise<void>
  /** `HGETALL`. */
  hgetall(key: string): Promise<Record<string, string>>
  /** `EVALSHA`, its keys and arguments in one array (ioredis flattens it). */
  evalsha(sha1: string, numkeys: number, keysAndArgs: string[]): Promise<unknown>
  /** `EVAL`, its keys and arguments in one array (ioredis flattens it). */
  eval(script: string, numkeys: number, keysAndArgs: string[]): Promise<unknown>
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
 * fails at once if the attempt failed. The connection is yours: the storage never closes it.
 *
 * @throws {TypeError} for a connection made with `stringNumbers` on: its replies would give the
 * scripts' integers as strings, and ioredis cannot turn that off for one command.
 */
export function adaptIoredis(redis: IoredisConnection): RedisSessionClient {
  checkNumbers(redis)
  let connecting: Promise<void> | undefined
  let attemptEnded = nextEventOf(redis, attemptEnds)
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
      // One array, never spread: a save of tens of thousands of values would overflow the call
      // stack (ioredis's auto-pipelining spreads the arguments it is given once more).
      let keysAndArgs = keys.concat(args)
      return evalOnNoScript(connection.evalsha(sha1, keys.length, keysAndArgs), () =>
        connection.eval(script, keys.length, keysAndArgs),
      )
    },
  }
}

/**
 * Refuses a connection that reads integers as strings.
 *
 * @throws {TypeError} when `stringNumbers` is on (ioredis takes any non-empty value, `'false'` and
 * `'0'` from a url too): in a `Redis`'s options, or in a `Cluster`'s `redisOptions`, one of its
 * startup nodes or an entry of an object `natMap` (a node's own options win over `redisOptions`
 * for its connection; a function `natMap` cannot be checked). Names every place it is set, startup
 * nodes by their index (a url may hold a password).
 */
function checkNumbers(redis: IoredisConnection): void {
  let cluster = redis.isCluster === true
  let places: string[] = []
  if (!cluster) {
    if (redis.options?.stringNumbers) places.push('its options')
  } else {
    if (redis.options?.redisOptions?.stringNumbers) places.push('redisOptions')
    startupNodesOf(redis).forEach((node, index) => {
      if (readsStringNumbers(node)) places.push(`startup node ${index}`)
    })
    let natMap = redis.options?.natMap
    if (typeof natMap === 'object' && natMap !== null) {
      for (let [address, node] of Object.entries(natMap)) {
        if (readsStringNumbers(node)) places.push(`natMap[${JSON.stringify(address)}]`)
      }
    }
  }
  if (places.length === 0) return
  let instead = cluster
    ? 'a Cluster with stringNumbers in none of them'
    : 'redis.duplicate({ stringNumbers: false })'
  throw new TypeError(
    `createRedisSessionStorage(): the ioredis client reads integers as strings (stringNumbers, in ${places.join(', ')}); give ${instead}: remove the option, as ioredis reads any non-empty value as on, 'false' and '0' in a url too`,
  )
}

/**
 * A `Cluster`'s startup nodes as given (urls, ports or option objects), whose own options win over
 * `redisOptions` for their connections. ioredis declares the field private to TypeScript; where it
 * is missing (another version) nothing is checked here, and a save fails on the script's reply
 * instead.
 */
function startupNodesOf(redis: IoredisConnection): readonly unknown[] {
  let nodes = (redis as { startupNodes?: unknown }).startupNodes
  return Array.isArray(nodes) ? nodes : []
}

/**
 * Whether a `Cluster` node (a url, a port or options) turns `stringNumbers` on, read as ioredis 6
 * reads it: an object's own enumerable properties; a path starting with one `/` as a socket path
 * whose query follows the first `?`; a string starting with `redis://` or `rediss://` (any case)
 * as a url, any other as `host:port?query`; the last value of a repeated key. A node that throws
 * while read counts as off (ioredis fails on it when it connects).
 */
function readsStringNumbers(node: unknown): boolean {
  try {
    if (typeof node === 'object' && node !== null) {
      return (
        Object.prototype.propertyIsEnumerable.call(node, 'stringNumbers') &&
        Boolean((node as { stringNumbers?: unknown }).stringNumbers)
      )
    }
    if (typeof node !== 'string') return false
    let query: URLSearchParams
    if (node.startsWith('/') && !node.startsWith('//')) {
      let at = node.indexOf('?')
      if (at === -1) return false
      query = new URLSearchParams(node.slice(at + 1))
    } else {
      let scheme = /^rediss?:\/\//i.test(node) ? '' : node.startsWith('//') ? 'redis:' : 'redis://'
      query = new URL(scheme + node).searchParams
    }
    return Boolean(query.getAll('stringNumbers').at(-1))
  } catch {
    return false
  }
}
