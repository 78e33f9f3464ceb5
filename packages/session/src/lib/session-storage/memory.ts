import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionDataStore } from '../session-data-store.ts'
import { isSessionId } from '../session-id.ts'
import type { KeySchemas } from '../session-schema.ts'
import { resolveMaxSessions } from '../storage-rules.ts'
import { parseIndex } from '../user-index.ts'

/** Options for {@link createMemorySessionStorage}. */
export interface MemorySessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {
  /**
   * The most sessions kept; past it the least recently used one is dropped, so a flood of new
   * sessions cannot exhaust memory. Default `10_000`. The per-user indexes of `userKey` are kept
   * apart, at most this many too: past it, an index none of whose sessions is still kept is
   * dropped (it has nothing left to end); one listing a kept session never is.
   */
  maxSessions?: number
}

/** A stored text and when it expires (ms since the epoch). */
export interface Entry {
  data: string
  expires: number
}

/**
 * Keeps `indexes` (user index id to its entry, least recently written first) at most `max` long
 * when it can: drops the oldest indexes that list no session `sessions` still holds, moving those
 * that do to the end, so each is looked at about once per `max` writes. An index listing a kept
 * session is never dropped: `destroyUserSessions` must still find that session.
 */
export function boundIndexes(
  indexes: Map<string, Entry>,
  sessions: ReadonlyMap<string, Entry>,
  max: number,
): void {
  let looked = 0
  for (let [id, entry] of indexes) {
    if (indexes.size <= max || ++looked > indexes.size) return
    indexes.delete(id)
    let listed = parseIndex(entry.data, Number.NEGATIVE_INFINITY).sessions.keys()
    if ([...listed].some((session) => sessions.has(session))) indexes.set(id, entry)
  }
}

/**
 * Keeps sessions in this process's memory: nothing to set up, lost on restart, not shared between
 * processes. For development, tests and single-process apps. Expired sessions are swept as new
 * ones are written, and the least recently used one is dropped past `maxSessions`; user indexes
 * are kept apart, swept by expiry, and past `maxSessions` of them those that list no kept session
 * are dropped.
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
    if (map === indexes) boundIndexes(indexes, entries, maxSessions)
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
