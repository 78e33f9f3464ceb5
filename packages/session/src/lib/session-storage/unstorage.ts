import { KeyLock } from '../key-lock.ts'
import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
  type SessionDataStore,
} from '../server-storage.ts'
import type { SessionSchema } from '../session-schema.ts'
import { deleteItem, isExpiredItem, itemOf } from './unstorage-item.ts'
import { resolveUnstoragePrefix } from './unstorage-prefix.ts'

/**
 * The part of an unstorage `Storage` (`createStorage({ driver })`) the session storage uses; the
 * library itself is never imported.
 */
export interface UnstorageStorage {
  /** The item under `key`: the object its JSON text parses to, or that text; `null` if none. */
  getItem(key: string): Promise<unknown>
  /**
   * Stores an item as its JSON text, `{"data":…,"expires":…}`, which unstorage's `getItem` gives
   * back parsed (a store that gives back the text as it is works too).
   */
  setItem(key: string, value: string, options?: { ttl?: number }): Promise<void>
  removeItem(key: string): Promise<void>
  getKeys(base?: string): Promise<string[]>
}

/** Options for {@link createUnstorageSessionStorage}. */
export interface UnstorageSessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ServerStorageOptions<Schema> {
  /**
   * Put before each session id to make its key (unstorage turns `:` and `/` into a folder on file
   * drivers). Sessions and `userKey` indexes live under it: give each app its own. End it with `:`
   * or `/` so that `prune()` lists only its folder: a prefix that does not (`'sess_'`) works, but
   * `prune()` then lists the folder it is in (the whole store for `'sess_'`) and keeps the keys
   * that start with it. Default `'session:'`.
   *
   * @throws {TypeError} (from the factory) when it holds a `?` (unstorage cuts keys there) or a
   * `.` or `..` folder (unstorage refuses such keys).
   */
  prefix?: string
}

/** A session storage over unstorage, with a way to delete expired items. */
export type UnstorageSessionStorage<Schema extends SessionSchema = SessionSchema> =
  ServerSessionStorage<Schema> & {
    /**
     * Lists every key under `prefix` and deletes the items expired by now; resolves to how many it
     * deleted. Each expired item is read again right before its delete, once any write of it this
     * storage has under way is done, and kept unless still expired (a login may have rewritten an
     * expired `userKey` index). That lock is this process's: another process's write landing
     * between the second read and the delete is lost. Drivers that honour `ttl` (Redis, Cloudflare
     * KV, ...) expire items by themselves; for the others (file system, memory, ...) run it now and
     * then (a timer, a cron job). Reads never return an expired session either way.
     *
     * @throws {Error} naming the key when an item is still there after its delete (a file driver
     * resolves a failed delete as done); storage errors are passed through.
     */
    prune(): Promise<number>
  }

/**
 * Keeps sessions in any unstorage driver (file system, Redis, Cloudflare KV, Vercel KV, MongoDB,
 * ...): each session is one item, `{ data, expires }`, under `<prefix><id>`, written with a `ttl`
 * (seconds) for drivers that expire items. Storage errors are passed through: `read` and `save`
 * reject (the session middleware answers `503`). Each delete is checked by reading the item back
 * (file drivers resolve a failed delete as done): a logout whose item is still there rejects,
 * naming the key. A corrupt item reads as a fresh session.
 *
 * unstorage has no atomic compare-and-set, so saves are read, merged and written: within one
 * process they are serialized per session and merged key by key (concurrent requests that change
 * different keys all persist); across processes sharing one store, two saves of one session at the
 * same moment can lose the changes of one of them, and the `userKey` index can miss a login saved
 * at the same moment by another process. Use the Redis or PostgreSQL storage for several
 * processes.
 *
 * @example
 * import { createStorage } from 'unstorage'
 * import fsDriver from 'unstorage/drivers/fs'
 * const storage = createUnstorageSessionStorage(createStorage({ driver: fsDriver({ base: './.sessions' }) }))
 * @throws {TypeError} for invalid storage options, or a `prefix` holding `?` or a `.`/`..` folder.
 */
export function createUnstorageSessionStorage<Schema extends SessionSchema = SessionSchema>(
  storage: UnstorageStorage,
  options: UnstorageSessionStorageOptions<Schema> = {},
): UnstorageSessionStorage<Schema> {
  let { prefix, base } = resolveUnstoragePrefix(options.prefix ?? 'session:')
  // Writes and deletes of one key in this process go one at a time, so prune() can check an item
  // and delete it with no write of this process in between.
  let locks = new KeyLock()
  let write = (id: string, data: string, expires: Date) => {
    let key = `${prefix}${id}`
    let ends = expires.getTime()
    let seconds = Math.ceil((ends - Date.now()) / 1000)
    let ttl = Number.isFinite(seconds) && seconds > 0 && ends < 8.64e15 ? { ttl: seconds } : {}
    // The item's JSON text, written here from a string and a number: given the object, unstorage
    // would JSON.stringify it, which calls a toJSON other code put on Object.prototype. Read back,
    // unstorage parses it to the same object.
    let item = `{"data":${JSON.stringify(data)},"expires":${JSON.stringify(ends)}}`
    return locks.run(key, () => storage.setItem(key, item, ttl))
  }
  let store: SessionDataStore = {
    async readData(id) {
      let item = await storage.getItem(`${prefix}${id}`)
      if (item === null || item === undefined) return null
      // unstorage's file drivers resolve to the error of a failed read (EACCES, ENOTDIR, EIO):
      // taken for a corrupt item, it would delete the session. Thrown, as every storage error.
      if (item instanceof Error) throw item
      // Anything this storage never wrote reads as a corrupt record: the core deletes it.
      let found = itemOf(item)
      if (found === undefined) return ''
      return found.expires <= Date.now() ? null : found.data
    },
    createData: write,
    updateData: write,
    deleteData: (id) => {
      let key = `${prefix}${id}`
      return locks.run(key, () => deleteItem(storage, key))
    },
  }
  let sessions = createSessionStorage(store, options)
  /** Deletes the item under `key` if it is still expired at `now`; resolves to whether it did. */
  let pruneItem = (key: string, now: number) =>
    locks.run(key, async () => {
      // Read again under the lock: a write since the first read (a login rewriting an expired
      // user index) is kept.
      if (!isExpiredItem(await storage.getItem(key), now)) return false
      await deleteItem(storage, key)
      return true
    })
  let prune = async () => {
    let now = Date.now()
    let deleted = 0
    for (let key of await storage.getKeys(base)) {
      if (!key.startsWith(prefix)) continue
      if (isExpiredItem(await storage.getItem(key), now) && (await pruneItem(key, now))) deleted++
    }
    return deleted
  }
  return Object.assign(sessions, { prune })
}
