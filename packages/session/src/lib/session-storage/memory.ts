import { keptRecords, type RecordKeeper } from '../kept-records.ts'
import { keepRecord } from '../record-copy.ts'
import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionDataStore } from '../session-data-store.ts'
import { isSessionId } from '../session-id.ts'
import { encodeRecord, type SessionRecord } from '../session-record.ts'
import type { SessionSchema } from '../session-schema.ts'
import { resolveMaxSessions } from '../storage-rules.ts'
import { parseIndex } from '../user-index.ts'

/** Options for {@link createMemorySessionStorage}. */
export interface MemorySessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ServerStorageOptions<Schema> {
  /**
   * The most sessions kept; past it one of those used least recently is dropped, so a flood of new
   * sessions cannot exhaust memory (the oldest not read or saved since room was last made: a
   * second-chance approximation of least recently used, which costs reads nothing). Default
   * `10_000`. The per-user indexes of `userKey` are kept apart, at most this many too: past it, an
   * index none of whose sessions is still kept is dropped (it has nothing left to end); one
   * listing a kept session never is.
   */
  maxSessions?: number
}

/** A stored text and when it expires (ms since the epoch). */
export interface Entry {
  data: string
  expires: number
}

/**
 * What is stored under a session id: a record kept parsed (its text made only when asked for),
 * or a text (a retired id's marker), and when it expires (ms since the epoch).
 */
interface SessionEntry {
  record: SessionRecord | undefined
  text: string | undefined
  expires: number
  /** Read or saved again since it was stored or room was last made: spared once. */
  used: boolean
}

/**
 * Keeps `indexes` (user index id to its entry, least recently written first) at most `max` long
 * when it can: drops the oldest indexes that list no session `sessions` still holds, moving those
 * that do to the end, so each is looked at about once per `max` writes. An index listing a kept
 * session is never dropped: `destroyUserSessions` must still find that session.
 */
export function boundIndexes(
  indexes: Map<string, Entry>,
  sessions: ReadonlyMap<string, unknown>,
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
 * ones are written, and one of those used least recently is dropped past `maxSessions`; user
 * indexes are kept apart, swept by expiry, and past `maxSessions` of them those that list no kept
 * session are dropped. Records are kept parsed, never as the live objects of a request: a read
 * hands out a copy of each value when the request first reads it, a save stores a copy of what
 * changed (both exactly what devalue would give back), so no text is parsed or written per request
 * and nothing one request changes reaches another before it is saved. A value nested too deep for devalue (about 1,700 levels) is refused at save, as before.
 *
 * @throws {TypeError} when `maxSessions` is not a positive integer, or for invalid expiry options.
 */
export function createMemorySessionStorage<Schema extends SessionSchema = SessionSchema>(
  options: MemorySessionStorageOptions<Schema> = {},
): ServerSessionStorage<Schema> {
  let store = new MemoryDataStore(resolveMaxSessions(options.maxSessions, 10_000))
  return createSessionStorage(store, options)
}

/** The {@link SessionDataStore} of {@link createMemorySessionStorage}, keeping records parsed. */
class MemoryDataStore implements SessionDataStore {
  #maxSessions: number
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  #entries = new Map<string, SessionEntry>()
  // User indexes (ids that are not session ids), outside the LRU: evicting one would let the
  // sessions it lists escape destroyUserSessions. Written in order, so the oldest come first.
  #indexes = new Map<string, Entry>()

  readonly [keptRecords]: RecordKeeper = {
    read: (id, now) => {
      let entry = this.#use(id, now)
      return entry === undefined ? null : (entry.record ?? (entry.text as string))
    },
    write: (id, record, expires) => {
      let kept = keepRecord(record, this.#entries.get(id)?.record, true)
      this.#keep(id, { record: kept, text: undefined, expires, used: false })
    },
  }

  constructor(maxSessions: number) {
    this.#maxSessions = maxSessions
  }

  readData(id: string): Promise<string | null> {
    if (!isSessionId(id)) return Promise.resolve(this.#liveIndex(id)?.data ?? null)
    let entry = this.#use(id, Date.now())
    if (entry === undefined) return Promise.resolve(null)
    // A kept record never changes: its text, once made, stays right.
    entry.text ??= encodeRecord(entry.record as SessionRecord)
    return Promise.resolve(entry.text)
  }

  createData(id: string, data: string, expires: Date): Promise<void> {
    return this.updateData(id, data, expires)
  }

  updateData(id: string, data: string, expires: Date): Promise<void> {
    if (isSessionId(id)) {
      this.#keep(id, { record: undefined, text: data, expires: expires.getTime(), used: false })
    } else {
      this.#indexes.delete(id)
      this.#indexes.set(id, { data, expires: expires.getTime() })
      sweep(this.#indexes, Date.now())
      boundIndexes(this.#indexes, this.#entries, this.#maxSessions)
    }
    return Promise.resolve()
  }

  deleteData(id: string): Promise<void> {
    if (isSessionId(id)) this.#entries.delete(id)
    else this.#indexes.delete(id)
    return Promise.resolve()
  }

  /**
   * Stores `entry`. An id stored before keeps its place, marked used; a new one goes last, and
   * makes room past the cap: from the oldest, a session used since it was stored or room was last
   * made is spared once (moved to the end, unmarked), the first one not used is dropped. Reads
   * only mark entries, so they reorder nothing.
   */
  #keep(id: string, entry: SessionEntry): void {
    let entries = this.#entries
    if (entries.has(id)) {
      entry.used = true
      entries.set(id, entry)
      return
    }
    entries.set(id, entry)
    sweep(entries, Date.now())
    while (entries.size > this.#maxSessions) {
      let [oldest, candidate] = entries.entries().next().value as [string, SessionEntry]
      entries.delete(oldest)
      if (candidate.used) {
        candidate.used = false
        entries.set(oldest, candidate)
      }
    }
  }

  /** The live entry under a session id at `now`, marked used; `undefined` for none. */
  #use(id: string, now: number): SessionEntry | undefined {
    let entry = this.#entries.get(id)
    if (entry === undefined) return undefined
    if (entry.expires <= now) {
      this.#entries.delete(id)
      return undefined
    }
    entry.used = true
    return entry
  }

  #liveIndex(id: string): Entry | undefined {
    let entry = this.#indexes.get(id)
    if (entry === undefined || entry.expires > Date.now()) return entry
    this.#indexes.delete(id)
    return undefined
  }
}

/** Deletes the expired entries among the (at most four) least recently written. */
function sweep(map: Map<string, { expires: number }>, now: number): void {
  let checked = 0
  for (let [id, entry] of map) {
    if (++checked > 4) break
    if (entry.expires <= now) map.delete(id)
  }
}
