import { adaptClient, type RedisClient } from '../redis/adapt-client.ts'
import { withCommandTimeout } from '../redis/command-timeout.ts'
import { connectIoredis } from '../redis/ioredis-adapter.ts'
import type { RedisSessionClient } from '../redis/redis-client.ts'
import { decodeFields, fieldChanges, isRetiredMarker } from '../redis/redis-fields.ts'
import {
  forgetScript,
  indexScript,
  membersScript,
  type RedisScript,
  retireScript,
  ScriptReply,
  saveScript,
  unindexScript,
} from '../redis/redis-scripts.ts'
import { isInert, resolveRetiredGrace } from '../retired-ids.ts'
import type { ServerSessionStorage, ServerStorageOptions } from '../server-storage.ts'
import { type Session, type SessionChanges, sessionChanges } from '../session.ts'
import { isSessionId } from '../session-id.ts'
import { expiresAt } from '../session-lifetime.ts'
import type { KeySchemas } from '../session-schema.ts'
import { createStorageRules, type StorageRules } from '../storage-rules.ts'

/** Options for {@link createRedisSessionStorage}: give `url` or `client`. */
export interface RedisSessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {
  /**
   * A `redis://` or `rediss://` URL (`redis://user:password@host:6379/0`): the storage connects by
   * itself with ioredis (install it), once, however many requests arrive before the connection is
   * up; it fails fast while Redis is unreachable, reconnects in the background, and `close()`
   * disconnects it.
   */
  url?: string
  /**
   * A connection the app shares: an ioredis `Redis` or `Cluster`, a node-redis client
   * (`createClient`, connected) or cluster (`createCluster`), or any {@link RedisSessionClient}.
   * `close()` leaves it open: it is yours. Configure it to fail fast (ioredis:
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
export type RedisClientStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> = Omit<RedisSessionStorageOptions<Values, Flash>, 'url' | 'client'>

/** A Redis-backed session storage that can be closed. */
export type RedisSessionStorage<Values, Flash> = ServerSessionStorage<Values, Flash> & {
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
 * neither ioredis nor node-redis, or for invalid options.
 */
export function createRedisSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(options: RedisSessionStorageOptions<Values, Flash>): RedisSessionStorage<Values, Flash>
export function createRedisSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(
  client: RedisClient,
  options?: RedisClientStorageOptions<Values, Flash>,
): RedisSessionStorage<Values, Flash>
export function createRedisSessionStorage(
  first: RedisSessionStorageOptions | RedisClient,
  second?: RedisClientStorageOptions,
): RedisSessionStorage<unknown, unknown> {
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
  let client =
    options.url === undefined ? adaptClient(options.client as object) : connectIoredis(options.url)
  let storage = new RedisStorage(withCommandTimeout(client, timeout), withTtl(options))
  return {
    read: (cookieValue) => storage.read(cookieValue),
    save: (session) => storage.save(session),
    destroyUserSessions: (user) => storage.destroyUserSessions(user),
    close: () => storage.close(),
  } as RedisSessionStorage<unknown, unknown>
}

/** The storage behind {@link createRedisSessionStorage}, over any {@link RedisSessionClient}. */
class RedisStorage {
  #client: RedisSessionClient
  #rules: StorageRules
  #prefix: string
  #userKey: string | undefined
  #useUnknownIds: boolean
  #graceMs: number
  // The user each session was read with, so a logout or a change of user leaves that user's index.
  #readUsers = new WeakMap<Session, string>()

  constructor(client: RedisSessionClient, options: RedisSessionStorageOptions) {
    this.#client = client
    this.#rules = createStorageRules(options)
    this.#prefix = options.keyPrefix ?? 'session:'
    this.#userKey = options.userKey
    this.#useUnknownIds = options.useUnknownIds ?? false
    this.#graceMs = resolveRetiredGrace(options.retiredIdGrace)
  }

  async read(cookieValue: string | null): Promise<Session> {
    if (!isSessionId(cookieValue)) return this.#rules.fresh()
    let fields: Record<string, string>
    try {
      fields = await this.#client.hgetall(this.#key(cookieValue))
    } catch (error) {
      if (String(error).includes('WRONGTYPE')) return this.#rules.fresh()
      throw error
    }
    if (Object.keys(fields).length === 0) {
      return this.#rules.fresh(this.#useUnknownIds ? cookieValue : undefined)
    }
    if (isRetiredMarker(fields)) {
      // Past its end (by this server's clock) a marker reads as an unknown id, never adopted.
      return Number(fields.r) > Date.now() ? this.#rules.retired() : this.#rules.fresh()
    }
    let record = decodeFields(fields)
    let session = record && (await this.#rules.restore(cookieValue, record))
    if (!record || !session) return this.#rules.fresh()
    let user = this.#userKey === undefined ? undefined : record.values[this.#userKey]
    if (typeof user === 'string') this.#readUsers.set(session, user)
    return session
  }

  async save(session: Session): Promise<string | null> {
    if (isInert(session)) return null
    let changes = sessionChanges(session)
    if (session.destroyed) return this.#forget(session, changes)
    let wasStored = changes.createdAt !== undefined
    let now = Date.now()
    if (session.deleteId !== undefined && wasStored) {
      let until = this.#graceMs > 0 ? `${now + this.#graceMs}` : ''
      let retireArgs = [until, `${now}`, ...this.#timeouts()]
      let reply = await this.#run(retireScript, [this.#key(session.deleteId)], retireArgs)
      // Another request retired the id first: this one is a request in flight; change nothing.
      if (reply === ScriptReply.retired) return null
      // Deleted meanwhile (a logout, destroyUserSessions): do not carry it on under a new id.
      if (reply === ScriptReply.gone) return ''
    }
    if (!this.#rules.needsWrite(session, now)) return null
    let stored = wasStored && changes.originalId === session.id
    let createdAt = changes.createdAt ?? now
    let expires = expiresAt({ createdAt, touchedAt: now }, this.#rules.lifetime)
    let expiry = Number.isFinite(expires) ? String(expires) : ''
    let { set, removed, values } = fieldChanges(session, stored, now, createdAt)
    let user = this.#userKey === undefined ? undefined : values[this.#userKey]
    let index = typeof user === 'string' ? this.#indexKey(user) : undefined
    let dropped = changes.originalId === session.id ? '' : changes.originalId
    // The index shares the save script, except on Cluster, where its key lives in another slot.
    let together = index !== undefined && !this.#client.cluster
    let keys = together ? [this.#key(session.id), index as string] : [this.#key(session.id)]
    let mode = stored ? 'existing' : 'new'
    let args = [mode, expiry, `${now}`, session.id, dropped, ...this.#timeouts()]
    let reply = await this.#run(saveScript, keys, [
      ...args,
      `${set.length / 2}`,
      ...set,
      ...removed,
    ])
    if (reply === ScriptReply.retired) return null
    // The session was deleted since it was read (a logout elsewhere, or expiry): do not revive it.
    if (reply !== ScriptReply.written) return ''
    if (index !== undefined && !together) {
      await this.#run(indexScript, [index], [session.id, expiry, `${now}`, dropped])
    }
    let readUser = this.#readUsers.get(session)
    if (readUser !== undefined && readUser !== user) {
      await this.#run(unindexScript, [this.#indexKey(readUser)], [changes.originalId])
    }
    return session.id
  }

  async destroyUserSessions(user: string): Promise<number> {
    if (this.#userKey === undefined) {
      throw new TypeError(
        'destroyUserSessions() needs the userKey option, naming the session value that holds the user',
      )
    }
    let index = this.#indexKey(user)
    let ids = (await this.#run(membersScript, [index], [])) as string[]
    if (ids.length === 0) return 0
    // One key per script: sessions may live on different Cluster nodes.
    let replies = await Promise.all(
      ids.map((id) => this.#run(forgetScript, [this.#key(id)], [id, `${Date.now()}`])),
    )
    // Only the ids read: a session that logged in meanwhile stays listed.
    await this.#run(unindexScript, [index], ids)
    return replies.filter((reply) => reply === 1).length
  }

  async close(): Promise<void> {
    await this.#client.close?.()
  }

  /** Deletes a destroyed session and takes it out of its user's index; resolves to the cookie. */
  async #forget(session: Session, changes: SessionChanges): Promise<string | null> {
    if (changes.createdAt === undefined) return ''
    let id = changes.originalId
    let readUser = this.#readUsers.get(session)
    let index = readUser === undefined ? undefined : this.#indexKey(readUser)
    let together = index !== undefined && !this.#client.cluster
    let keys = together ? [this.#key(id), index as string] : [this.#key(id)]
    let reply = await this.#run(forgetScript, keys, [id, `${Date.now()}`])
    // Retired by a login that ran meanwhile: this logout was in flight; leave the new cookie be.
    if (reply === ScriptReply.retired) return null
    if (index !== undefined && !together) await this.#run(unindexScript, [index], [id])
    return ''
  }

  async #run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return this.#client.evalScript(script.source, await script.sha1(), keys, args)
  }

  /** The idle and absolute timeouts in ms, as the scripts take them ('' for none). */
  #timeouts(): [string, string] {
    let { idleMs, absoluteMs } = this.#rules.lifetime
    return [idleMs, absoluteMs].map((ms) => (Number.isFinite(ms) ? `${ms}` : '')) as [
      string,
      string,
    ]
  }

  #key(id: string): string {
    return `${this.#prefix}${id}`
  }

  #indexKey(user: string): string {
    return `${this.#prefix}user:${user}`
  }
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
