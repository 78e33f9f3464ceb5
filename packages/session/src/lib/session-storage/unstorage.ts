import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
  type SessionDataStore,
} from '../server-storage.ts'
import type { KeySchemas } from '../session-schema.ts'

/**
 * The part of an unstorage `Storage` (`createStorage({ driver })`) the session storage uses; the
 * library itself is never imported.
 */
export interface UnstorageStorage {
  getItem(key: string): Promise<unknown>
  setItem(
    key: string,
    value: { data: string; expires: number },
    options?: { ttl?: number },
  ): Promise<void>
  removeItem(key: string): Promise<void>
  getKeys(base?: string): Promise<string[]>
}

/** Options for {@link createUnstorageSessionStorage}. */
export interface UnstorageSessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {
  /**
   * Put before each session id to make its key (unstorage turns `:` into a folder on file
   * drivers). Sessions and `userKey` indexes live under it: give each app its own. Default
   * `'session:'`.
   */
  prefix?: string
}

/** A session storage over unstorage, with a way to delete expired items. */
export type UnstorageSessionStorage<Values, Flash> = ServerSessionStorage<Values, Flash> & {
  /**
   * Lists every key under `prefix` and deletes the items expired by now; resolves to how many it
   * deleted. Drivers that honour `ttl` (Redis, Cloudflare KV, ...) expire items by themselves;
   * for the others (file system, memory, ...) run it now and then (a timer, a cron job). Reads
   * never return an expired session either way.
   */
  prune(): Promise<number>
}

/** What is stored under a key: the serialized record and when it ends (ms since the epoch). */
interface Item {
  data: string
  expires: number
}

/**
 * Keeps sessions in any unstorage driver (file system, Redis, Cloudflare KV, Vercel KV, MongoDB,
 * ...): each session is one item, `{ data, expires }`, under `<prefix><id>`, written with a `ttl`
 * (seconds) for drivers that expire items. Storage errors are passed through: `read` and `save`
 * reject (the session middleware answers `503`). A corrupt item reads as a fresh session.
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
 * @throws {TypeError} for invalid storage options.
 */
export function createUnstorageSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(
  storage: UnstorageStorage,
  options: UnstorageSessionStorageOptions<Values, Flash> = {},
): UnstorageSessionStorage<Values, Flash> {
  let prefix = options.prefix ?? 'session:'
  let write = async (id: string, data: string, expires: Date) => {
    let ends = expires.getTime()
    let seconds = Math.ceil((ends - Date.now()) / 1000)
    let ttl = Number.isFinite(seconds) && seconds > 0 && ends < 8.64e15 ? { ttl: seconds } : {}
    await storage.setItem(`${prefix}${id}`, { data, expires: ends }, ttl)
  }
  let store: SessionDataStore = {
    async readData(id) {
      let item = await storage.getItem(`${prefix}${id}`)
      if (item === null || item === undefined) return null
      // unstorage's file drivers resolve to the error of a failed read (EACCES, ENOTDIR, EIO):
      // taken for a corrupt item, it would delete the session. Thrown, as every storage error.
      if (item instanceof Error) throw item
      // Anything this storage never wrote reads as a corrupt record: the core deletes it.
      if (!isItem(item)) return ''
      return item.expires <= Date.now() ? null : item.data
    },
    createData: write,
    updateData: write,
    deleteData: (id) => storage.removeItem(`${prefix}${id}`),
  }
  let sessions = createSessionStorage(store, options)
  return {
    read: sessions.read,
    save: sessions.save,
    destroyUserSessions: sessions.destroyUserSessions,
    async prune() {
      let now = Date.now()
      let deleted = 0
      for (let key of await storage.getKeys(prefix)) {
        let item = await storage.getItem(key)
        if (isItem(item) && item.expires <= now) {
          await storage.removeItem(key)
          deleted++
        }
      }
      return deleted
    },
  }
}

function isItem(value: unknown): value is Item {
  let item = value as Partial<Item> | null
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.data === 'string' &&
    typeof item.expires === 'number'
  )
}
