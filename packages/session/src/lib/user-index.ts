import * as devalue from 'devalue'
import { toBase64Url } from './base64url.ts'
import type { SessionDataStore } from './session-data-store.ts'
import { decodeRecord } from './session-record.ts'

/** Runs `task` alone for `id`: after every task queued for it before. */
export type LockRunner = <Result>(id: string, task: () => Promise<Result>) => Promise<Result>

/** One session in a user's index. */
export interface IndexEntry {
  /** The latest moment the session may live (ms since the epoch, may be `Infinity`). */
  until: number
  /** When the entry was written (ms since the epoch); `0` for an index of an older version. */
  addedAt: number
}

/** One user's index as stored. */
export interface IndexEntries {
  /** Session id to its entry, least recently written first. */
  sessions: Map<string, IndexEntry>
  /** How many entries the index held when records were last checked for existence; `-1`: never. */
  checked: number
}

/** An index at least this large is checked for sessions that no longer exist once it doubles. */
const minimumCheck = 32
/**
 * Milliseconds during which a new entry is never dropped for a missing record: a save writes the
 * entry before the record, so a login still saving has no record yet.
 */
const settleMs = 60_000
// The Date a store can hold: `new Date(Infinity)` is invalid.
const maxDate = 8.64e15

/**
 * The ids of each user's sessions, kept in the session store itself under ids that can never be
 * session ids (they contain a `.`), so no cookie can name them. Each entry records until when its
 * session may live; the storage extends it before a save lets the session live longer. Expired
 * entries are dropped whenever the index is written, and once the index doubles in size (at least
 * {@link minimumCheck} entries) or passes the per-user cap, entries older than {@link settleMs}
 * whose records no longer exist: it stays about the size of the user's live sessions, however many
 * logins, evictions and renewals came before.
 */
export class UserIndex {
  #store: SessionDataStore
  #withLock: LockRunner

  constructor(store: SessionDataStore, withLock: LockRunner) {
    this.#store = store
    this.#withLock = withLock
  }

  /**
   * Records that session `id` of `user` may live until `until` (ms since the epoch), forgetting
   * `dropped` (`''`: none). Resolves to the sessions past `cap`, those used least recently (never
   * `id`): the caller deletes them, then {@link UserIndex.remove}s them, so a failure between
   * leaves them listed.
   */
  async add(
    user: string,
    entry: { id: string; until: number; dropped: string },
    now: number,
    cap: number,
  ): Promise<string[]> {
    let key = await indexId(user)
    return this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      let index = parseIndex(stored, now)
      let { id, until, dropped } = entry
      index.sessions.delete(dropped)
      index.sessions.delete(id)
      index.sessions.set(id, { until, addedAt: now })
      let size = index.sessions.size
      let used = new Map<string, number>()
      if (size > cap || index.checked < 0 || size > Math.max(minimumCheck, 2 * index.checked)) {
        used = await this.#dropMissing(index, id, now)
      }
      await this.#write(key, stored !== null, index)
      return overflow(index, id, cap, used)
    })
  }

  /** Forgets sessions `ids` of `user` (destroyed, or moved to another user). */
  async remove(user: string, ids: readonly string[], now: number): Promise<void> {
    let key = await indexId(user)
    await this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      if (stored === null) return
      let index = parseIndex(stored, now)
      for (let id of ids) index.sessions.delete(id)
      await this.#write(key, true, index)
    })
  }

  /**
   * Every session id `user`'s index lists, but the entries expired at `now` (default: none left
   * out).
   */
  async list(user: string, now = Number.NEGATIVE_INFINITY): Promise<string[]> {
    let key = await indexId(user)
    return this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      return [...parseIndex(stored, now).sessions.keys()]
    })
  }

  /**
   * Drops entries, but `keep` and those written less than {@link settleMs} ago, with no session
   * record (deleted, retired, unreadable). Resolves to when each session kept was last used (its
   * record's `touchedAt`; when the entry was written for a login still saving).
   */
  async #dropMissing(index: IndexEntries, keep: string, now: number): Promise<Map<string, number>> {
    let used = new Map<string, number>()
    for (let [id, { addedAt }] of [...index.sessions]) {
      if (id === keep) continue
      let text = await this.#store.readData(id)
      let record = text === null ? null : decodeRecord(text)
      if (record === null && addedAt <= now - settleMs) index.sessions.delete(id)
      else used.set(id, record?.touchedAt ?? addedAt)
    }
    index.checked = index.sessions.size
    return used
  }

  async #write(key: string, exists: boolean, index: IndexEntries): Promise<void> {
    if (index.sessions.size === 0) {
      if (exists) await this.#store.deleteData(key)
      return
    }
    let entries = [...index.sessions].map(([id, entry]) => [id, entry.until, entry.addedAt])
    let data = devalue.stringify([1, index.checked, entries])
    let latest = 0
    for (let { until } of index.sessions.values()) latest = Math.max(latest, until)
    let expires = new Date(Math.min(latest, maxDate))
    if (exists) await this.#store.updateData(key, data, expires)
    else await this.#store.createData(key, data, expires)
  }
}

/**
 * The sessions of `index` past `cap`: those used least recently (`used`, else when their entry
 * was written), never `keep`.
 */
function overflow(
  index: IndexEntries,
  keep: string,
  cap: number,
  used: ReadonlyMap<string, number>,
): string[] {
  let excess = index.sessions.size - cap
  if (excess <= 0) return []
  let lastUse = (id: string, entry: IndexEntry) => used.get(id) ?? entry.addedAt
  return [...index.sessions]
    .filter(([id]) => id !== keep)
    .sort(([a, x], [b, y]) => lastUse(a, x) - lastUse(b, y))
    .slice(0, excess)
    .map(([id]) => id)
}

/** The store id of `user`'s index: a hash, so user names of any length or form are safe. */
export async function indexId(user: string): Promise<string> {
  let digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(user))
  return `user.${toBase64Url(new Uint8Array(digest))}`
}

/**
 * Parses a stored index, without the entries expired at `now`. Never throws: anything unreadable
 * is an empty index. An index written by an older version (a plain list of ids, no expiry) keeps
 * its ids, to be checked for existence at the next write.
 */
export function parseIndex(text: string | null, now: number): IndexEntries {
  let index: IndexEntries = { sessions: new Map(), checked: 0 }
  if (text === null) return index
  let parsed: unknown
  try {
    parsed = devalue.parse(text)
  } catch {
    return index
  }
  if (!Array.isArray(parsed)) return index
  if (parsed[0] !== 1 || !Array.isArray(parsed[2])) {
    for (let id of parsed) {
      if (typeof id === 'string') index.sessions.set(id, { until: Infinity, addedAt: 0 })
    }
    index.checked = -1
    return index
  }
  index.checked = typeof parsed[1] === 'number' ? parsed[1] : 0
  for (let entry of parsed[2] as unknown[]) {
    if (!Array.isArray(entry)) continue
    let [id, until, addedAt] = entry
    if (typeof id === 'string' && typeof until === 'number' && until > now) {
      index.sessions.set(id, { until, addedAt: typeof addedAt === 'number' ? addedAt : 0 })
    }
  }
  return index
}
