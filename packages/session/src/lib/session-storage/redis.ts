import * as devalue from 'devalue'
import { type Cluster, Redis } from 'ioredis'
import type { ServerSessionStorage, ServerStorageOptions } from '../server-storage.ts'
import { type Session, sessionChanges } from '../session.ts'
import { isSessionId } from '../session-id.ts'
import { expiresAt } from '../session-lifetime.ts'
import type { SessionRecord } from '../session-record.ts'
import type { KeySchemas } from '../session-schema.ts'
import { createStorageRules, deleteRetired } from '../storage-rules.ts'

/** Options for {@link createRedisSessionStorage}: give `url` or `client`. */
export interface RedisSessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {
  /**
   * A `redis://` or `rediss://` URL (`redis://user:password@host:6379/0`): the storage connects by
   * itself, fails fast while Redis is unreachable, reconnects in the background, and `close()`
   * disconnects it.
   */
  url?: string
  /**
   * An ioredis connection (`Redis` or `Cluster`) the app shares. Configure it to fail fast
   * (`enableOfflineQueue: false`, `maxRetriesPerRequest: 0`), or requests wait while Redis is
   * down. `close()` leaves it open: it is yours.
   */
  client?: Redis | Cluster
  /** Put before each session id to make its key. Default `'session:'`. */
  keyPrefix?: string
}

/** A Redis-backed session storage that can be closed. */
export type RedisSessionStorage<Values, Flash> = ServerSessionStorage<Values, Flash> & {
  /** Closes the connection the storage opened from `url`; a `client` you gave stays open. */
  close(): Promise<void>
}

// One round trip, atomic: refuse to revive a session deleted meanwhile, apply the changed fields,
// and set the expiry with them. KEYS[1] the session; ARGV: mode ('new' or 'existing'), expiry
// (ms since the epoch, '' for none), how many fields to set, those field/value pairs, then the
// fields to delete.
const saveScript = `
if ARGV[1] == 'existing' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == 'new' then redis.call('DEL', KEYS[1]) end
local n = tonumber(ARGV[3])
if #ARGV > 3 + 2 * n then redis.call('HDEL', KEYS[1], unpack(ARGV, 4 + 2 * n, #ARGV)) end
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 4, 3 + 2 * n)) end
if ARGV[2] == '' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return 1
`

/**
 * Keeps each session in a Redis hash (`<keyPrefix><id>`): one field per value, so a save writes
 * only what the request changed, in one atomic Lua script that also sets the key's expiry (the
 * idle timeout, capped by the absolute lifetime). Servers that share the Redis share sessions,
 * and concurrent requests that change different keys all persist. When Redis is unreachable,
 * `read` and `save` reject (the session middleware answers `503`); they succeed again once it is
 * back. Corrupt data under a key reads as a fresh session.
 *
 * @example
 * const storage = createRedisSessionStorage({ url: process.env.REDIS_URL })
 * @throws {TypeError} unless exactly one of `url` and `client` is given, or for invalid expiry
 * options.
 */
export function createRedisSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(options: RedisSessionStorageOptions<Values, Flash>): RedisSessionStorage<Values, Flash> {
  if ((options.url === undefined) === (options.client === undefined)) {
    throw new TypeError('createRedisSessionStorage(): give either `url` or `client`')
  }
  let rules = createStorageRules(options)
  let useUnknownIds = options.useUnknownIds ?? false
  let prefix = options.keyPrefix ?? 'session:'
  let owned = options.client === undefined
  let client = options.client ?? connect(options.url as string)
  let scriptSha = sha1(saveScript)
  let keyOf = (id: string) => `${prefix}${id}`
  let userKey = options.userKey
  let indexOf = (user: string) => `${prefix}user:${user}`

  async function ready(): Promise<Redis | Cluster> {
    if (client.status === 'wait') await client.connect()
    return client
  }

  async function runSave(id: string, args: string[]): Promise<number> {
    let redis = await ready()
    try {
      return (await redis.evalsha(await scriptSha, 1, keyOf(id), ...args)) as number
    } catch (error) {
      if (!String(error).includes('NOSCRIPT')) throw error
      return (await redis.eval(saveScript, 1, keyOf(id), ...args)) as number
    }
  }

  async function read(cookieValue: string | null): Promise<Session> {
    if (!isSessionId(cookieValue)) return rules.fresh()
    let fields: Record<string, string>
    try {
      fields = await (await ready()).hgetall(keyOf(cookieValue))
    } catch (error) {
      if (String(error).includes('WRONGTYPE')) return rules.fresh()
      throw error
    }
    if (Object.keys(fields).length === 0)
      return rules.fresh(useUnknownIds ? cookieValue : undefined)
    let record = decodeFields(fields)
    return (record && (await rules.restore(cookieValue, record))) ?? rules.fresh()
  }

  async function save(session: Session): Promise<string | null> {
    let changes = sessionChanges(session)
    // One key per command: keys of different sessions may live on different Cluster nodes.
    let remove = async (id: string) => void (await (await ready()).del(keyOf(id)))
    if (await deleteRetired(session, remove)) return ''
    let now = Date.now()
    if (!rules.needsWrite(session, now)) return null
    let stored = changes.createdAt !== undefined && changes.originalId === session.id
    let createdAt = changes.createdAt ?? now
    let expires = expiresAt({ createdAt, touchedAt: now }, rules.lifetime)
    let set: string[] = ['t', String(now)]
    let removed: string[] = []
    let [values, flash] = session.data
    if (stored) {
      for (let key of changes.values) {
        if (Object.hasOwn(values, key)) set.push(`v:${key}`, devalue.stringify(values[key]))
        else removed.push(`v:${key}`)
      }
      for (let key of changes.readFlash) removed.push(`f:${key}`)
      for (let [key, value] of changes.newFlash) set.push(`f:${key}`, devalue.stringify(value))
    } else {
      set.push('c', String(createdAt))
      for (let [key, value] of Object.entries(values))
        set.push(`v:${key}`, devalue.stringify(value))
      for (let [key, value] of Object.entries(flash)) set.push(`f:${key}`, devalue.stringify(value))
    }
    let mode = stored ? 'existing' : 'new'
    let expiry = Number.isFinite(expires) ? String(expires) : ''
    let written = await runSave(session.id, [
      mode,
      expiry,
      String(set.length / 2),
      ...set,
      ...removed,
    ])
    // The session was deleted since it was read (a logout elsewhere, or expiry): do not revive it.
    if (written !== 1) return ''
    let user = userKey === undefined ? undefined : values[userKey]
    if (typeof user === 'string' && (!stored || changes.values.has(userKey as string))) {
      let redis = await ready()
      await redis.sadd(indexOf(user), session.id)
      // The index outlives every session it lists: the absolute lifetime bounds them all.
      if (Number.isFinite(rules.lifetime.absoluteMs)) {
        await redis.pexpire(indexOf(user), rules.lifetime.absoluteMs)
      }
    }
    return session.id
  }

  async function destroyUserSessions(user: string): Promise<number> {
    if (userKey === undefined) {
      throw new TypeError(
        'destroyUserSessions() needs the userKey option, naming the session value that holds the user',
      )
    }
    let redis = await ready()
    let ids = await redis.smembers(indexOf(user))
    for (let id of ids) await redis.del(keyOf(id))
    await redis.del(indexOf(user))
    return ids.length
  }

  async function close(): Promise<void> {
    if (owned && client.status !== 'end') await client.quit().catch(() => client.disconnect())
  }

  return { read, save, close, destroyUserSessions } as unknown as RedisSessionStorage<Values, Flash>
}

/** A connection that fails fast while Redis is down and reconnects in the background. */
function connect(url: string): Redis {
  let redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  })
  // Connection errors reach the caller through the commands that fail; without a listener
  // ioredis would also print each reconnection attempt.
  redis.on('error', () => {})
  return redis
}

/** The record stored in a session hash; `null` when any field is not what this storage writes. */
function decodeFields(fields: Record<string, string>): SessionRecord | null {
  let record: SessionRecord = {
    values: {},
    flash: {},
    createdAt: Number(fields.c),
    touchedAt: Number(fields.t),
  }
  if (!Number.isFinite(record.createdAt) || !Number.isFinite(record.touchedAt)) return null
  try {
    for (let [field, text] of Object.entries(fields)) {
      if (field === 'c' || field === 't') continue
      let target = field.startsWith('v:')
        ? record.values
        : field.startsWith('f:')
          ? record.flash
          : null
      let key = field.slice(2)
      if (target === null || key === '__proto__') return null
      target[key] = devalue.parse(text)
    }
  } catch {
    return null
  }
  return record
}

async function sha1(text: string): Promise<string> {
  let digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
