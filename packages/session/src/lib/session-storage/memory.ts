import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionDataStore } from '../session-data-store.ts'
import { isSessionId } from '../session-id.ts'
import type { KeySchemas } from '../session-schema.ts'
import { resolveMaxSessions } from '../storage-rules.ts'

/** Options for {@link createMemorySessionStorage}. */
export interface MemorySessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {
  /**
   * The most sessions kept; past it the least recently used one is dropped, so a flood of new
   * sessions cannot exhaust memory. Default `10_000`. The per-user indexes of `userKey` do not
   * count and are never dropped for room: they go when every session they list has expired.
   */
  maxSessions?: number
}

interface Entry {
  data: string
  expires: number
}

/**
 * Keeps sessions in this process's memory: nothing to set up, lost on restart, not shared between
 * processes. For development, tests and single-process apps. Expired sessions are swept as new
 * ones are written, and the least recently used one is dropped past `maxSessions`; user indexes
 * are kept apart and swept by expiry only.
 *
 * @throws {TypeError} when `maxSessions` is not a positive integer, or for invalid expiry options.
 */
export function createMemorySessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(options: MemorySessionStorageOptions<Values, Flash> = {}): ServerSessionStorage<Values, Flash> {
  let maxSessions = resolveMaxSessions(options.maxSessions, 10_000)
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  let entries = new Map<string, Entry>()
  // User indexes (ids that are not session ids), outside the LRU: evicting one would let the
  // sessions it lists escape destroyUserSessions. Written in order, so the oldest come first.
  let indexes = new Map<string, Entry>()
  let mapOf = (id: string) => (isSessionId(id) ? entries : indexes)

  function sweep(map: Map<string, Entry>, now: number): void {
    let checked = 0
    for (let [id, entry] of map) {
      if (++checked > 4) break
      if (entry.expires <= now) map.delete(id)
    }
  }

  function write(id: string, data: string, expires: Date): Promise<void> {
    let map = mapOf(id)
    map.delete(id)
    map.set(id, { data, expires: expires.getTime() })
    sweep(map, Date.now())
    while (entries.size > maxSessions) {
      entries.delete(entries.keys().next().value as string)
    }
    return Promise.resolve()
  }

  let store: SessionDataStore = {
    readData(id) {
      let map = mapOf(id)
      let entry = map.get(id)
      if (entry === undefined) return Promise.resolve(null)
      if (entry.expires <= Date.now()) {
        map.delete(id)
        return Promise.resolve(null)
      }
      if (map === entries) {
        entries.delete(id)
        entries.set(id, entry)
      }
      return Promise.resolve(entry.data)
    },
    createData: write,
    updateData: write,
    deleteData(id) {
      mapOf(id).delete(id)
      return Promise.resolve()
    },
  }
  return createSessionStorage(store, options)
}
