import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
  type SessionDataStore,
} from '../server-storage.ts'
import type { KeySchemas } from '../session-schema.ts'

/** Options for {@link createMemorySessionStorage}. */
export interface MemorySessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {
  /**
   * The most sessions kept; past it the least recently used one is dropped, so a flood of new
   * sessions cannot exhaust memory. Default `10_000`.
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
 * ones are written, and the least recently used one is dropped past `maxSessions`.
 *
 * @throws {TypeError} when `maxSessions` is not a positive integer, or for invalid expiry options.
 */
export function createMemorySessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(options: MemorySessionStorageOptions<Values, Flash> = {}): ServerSessionStorage<Values, Flash> {
  let maxSessions = options.maxSessions ?? 10_000
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new TypeError(`maxSessions must be a positive integer, got ${maxSessions}`)
  }
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  let entries = new Map<string, Entry>()

  function sweep(now: number): void {
    let checked = 0
    for (let [id, entry] of entries) {
      if (++checked > 4) break
      if (entry.expires <= now) entries.delete(id)
    }
    while (entries.size > maxSessions) {
      entries.delete(entries.keys().next().value as string)
    }
  }

  function write(id: string, data: string, expires: Date): Promise<void> {
    entries.delete(id)
    entries.set(id, { data, expires: expires.getTime() })
    sweep(Date.now())
    return Promise.resolve()
  }

  let store: SessionDataStore = {
    readData(id) {
      let entry = entries.get(id)
      if (entry === undefined) return Promise.resolve(null)
      entries.delete(id)
      if (entry.expires <= Date.now()) return Promise.resolve(null)
      entries.set(id, entry)
      return Promise.resolve(entry.data)
    },
    createData: write,
    updateData: write,
    deleteData(id) {
      entries.delete(id)
      return Promise.resolve()
    },
  }
  return createSessionStorage(store, options)
}
