import { commandDeadlines, withinDeadline } from './command-timeout.ts'
import { type EventSource, nextEventOf } from './next-event.ts'
import { fieldsOf } from './node-redis-adapter.ts'
import { isNoScript, type RedisSessionClient } from './redis-client.ts'

/** The part of a node-redis client the storage's own connection uses. */
interface OwnedClient extends EventSource {
  /** A command as its raw arguments: no key prefix, no reply transform. */
  sendCommand(args: string[]): Promise<unknown>
  readonly isReady: boolean
  connect(): Promise<unknown>
  close(): Promise<unknown>
  destroy(): void
  on(event: string, listener: (error?: unknown) => void): unknown
}

/** The events that end a connection attempt: in success, failure, or by `close()`. */
const attemptEnds = ['ready', 'error', 'end']

/**
 * The storage's own node-redis connection to `url`, imported and connected on first use, so that
 * ioredis users need not install node-redis. Every request that arrives while a connection
 * attempt is under way (the first one, or a reconnection) waits for that one attempt (its
 * command's `timeout` bounds the wait), then runs, and fails at once if it failed, with the
 * connection's error as `cause`. While Redis is unreachable commands fail at once (no offline
 * queue), and the client reconnects in the background, at most a second apart. node-redis writes
 * the commands of concurrent requests in one write. Each command, the wait for a connection
 * included, rejects with a `RedisTimeoutError` when Redis has not answered within `timeout`
 * milliseconds (`Infinity`: never). `close()` waits for the replies under way at most `timeout`
 * milliseconds, then ends the connection.
 */
export function connectNodeRedis(url: string, timeout: number): RedisSessionClient {
  let deadlines = commandDeadlines(timeout)
  let connection: Promise<Connection> | undefined
  let opened: Connection | undefined
  let closed = false
  function open(): Promise<Connection> {
    connection ??= import('redis').then(
      ({ createClient }) => {
        opened = watchAttempts(createClient(clientOptions(url)) as OwnedClient)
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
  async function afterAttempt(): Promise<RawCommands> {
    let { client, commands, ready, lastError } = await open()
    if (!client.isReady && !closed) await ready()
    if (closed) throw new Error('The Redis session storage was closed')
    if (!client.isReady) throw new Error('Redis is unreachable', { cause: lastError() })
    return commands
  }
  /** The commands, while connected (the common case: no wait at all). */
  function usable(): RawCommands | undefined {
    return !closed && opened?.client.isReady === true ? opened.commands : undefined
  }
  return {
    hgetall(key) {
      let commands = usable()
      let reply =
        commands !== undefined
          ? commands.hgetall(key)
          : afterAttempt().then((later) => later.hgetall(key))
      return withinDeadline(deadlines, 'HGETALL', reply, fieldsOf)
    },
    evalScript(script, sha1, keys, args) {
      let commands = usable()
      let reply =
        commands !== undefined
          ? commands.evalSha(sha1, keys, args)
          : afterAttempt().then((later) => later.evalSha(sha1, keys, args))
      // Redis has not cached the script (a restart, a `SCRIPT FLUSH`): `EVAL`, which caches it, is
      // a command of its own, with its own deadline.
      return withinDeadline(deadlines, 'a script', reply, undefined, (error) => {
        if (!isNoScript(error)) throw error
        let evaluated = afterAttempt().then((later) => later.eval(script, keys, args))
        return withinDeadline(deadlines, 'a script', evaluated)
      })
    },
    async close() {
      closed = true
      let client = (await connection?.catch(() => undefined))?.client
      if (client === undefined) return
      // A client between attempts (or in one) has nothing to flush: end it at once. A stalled
      // Redis would hold a graceful close for the whole stall: it gets `timeout`.
      if (client.isReady) await settledWithin(client.close(), timeout)
      try {
        client.destroy()
      } catch {
        // node-redis 5 refuses to destroy a client once close() began: closed, or still draining a
        // stalled Redis, which it ends when the socket does.
      }
    },
  }
}

/** The storage's own client, its commands, and its connection attempts. */
interface Connection {
  client: OwnedClient
  commands: RawCommands
  /** Resolves when no attempt is under way: at once, or when the one under way ends. */
  ready(): Promise<void>
  /** The error of the last failed attempt or lost connection, if any since the last success. */
  lastError(): unknown
}

/**
 * How the storage's own client to `url` is made: new objects for each client, since node-redis
 * writes what it parses from the url (host, port, TLS) into the `socket` object it is given.
 */
function clientOptions(url: string) {
  return {
    url,
    // Fail fast while Redis is unreachable, instead of queueing requests until it is back.
    disableOfflineQueue: true,
    // The storage's own `commandTimeout` bounds each command. node-redis 6's own default (5 s, an
    // AbortSignal per command) measured 4× the client CPU of a command without it.
    commandOptions: { timeout: 0 },
    socket: { reconnectStrategy: (retries: number) => Math.min((retries + 1) * 100, 1000) },
  }
}

/** Connects `client` and tracks its connection attempts. */
function watchAttempts(client: OwnedClient): Connection {
  let attempting = true
  let lastError: unknown
  // Errors reach the caller through the commands that fail; without a listener node-redis would
  // crash the process on the first one.
  client.on('error', (error?: unknown) => {
    attempting = false
    lastError = error
  })
  client.on('ready', () => {
    attempting = false
    lastError = undefined
  })
  client.on('end', () => {
    attempting = false
  })
  client.on('reconnecting', () => {
    attempting = true
  })
  // Rejects only when closed while connecting; a failed attempt is an 'error' event.
  client.connect().catch(() => {})
  let attemptEnded = nextEventOf(client, attemptEnds)
  return {
    client,
    commands: rawCommands(client),
    ready: () => (attempting ? attemptEnded() : Promise.resolve()),
    lastError: () => lastError,
  }
}

/** The commands the storage sends on its own client, each resolving to Redis's reply as is. */
interface RawCommands {
  hgetall(key: string): Promise<unknown>
  evalSha(sha1: string, keys: string[], args: string[]): Promise<unknown>
  eval(script: string, keys: string[], args: string[]): Promise<unknown>
}

/**
 * The storage's commands on its own client, sent as raw arguments (`sendCommand`). The client is
 * made here, with no key prefix, so node-redis's command builders add nothing but work: two async
 * functions and a parser per command, on every request's path. The protocol is node-redis's
 * default, RESP2 on node-redis 5 (which sends no `HELLO`, so Redis before 6 is served) and RESP3
 * on 6: only `HGETALL`'s reply differs between them ({@link fieldsOf} takes both).
 */
function rawCommands(client: OwnedClient): RawCommands {
  // Made at its final length, not grown by push or concat: a save's command has some twenty
  // arguments, and every regrowth copies them into new memory on every request's path.
  let script = (name: string, first: string, keys: string[], args: string[]) => {
    let command = new Array<string>(3 + keys.length + args.length)
    command[0] = name
    command[1] = first
    command[2] = `${keys.length}`
    for (let n = 0; n < keys.length; n++) command[3 + n] = keys[n] as string
    for (let n = 0; n < args.length; n++) command[3 + keys.length + n] = args[n] as string
    return client.sendCommand(command)
  }
  return {
    hgetall: (key) => client.sendCommand(['HGETALL', key]),
    evalSha: (sha1, keys, args) => script('EVALSHA', sha1, keys, args),
    eval: (source, keys, args) => script('EVAL', source, keys, args),
  }
}

/**
 * Resolves when `task` settles or `ms` milliseconds pass, whichever comes first; past a timer's
 * longest delay, when `task` settles.
 */
function settledWithin(task: Promise<unknown>, ms: number): Promise<void> {
  // Past a timer's longest delay (2^31 - 1 ms, about 24.8 days) Node would fire after 1 ms.
  if (!(ms <= 2 ** 31 - 1)) return task.then(noop, noop)
  return new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, ms)
    task.then(noop, noop).finally(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}

function noop(): void {}
