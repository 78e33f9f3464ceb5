import * as devalue from 'devalue'
import { toBase64Url } from './base64url.ts'
import { retiredUntil } from './retired-ids.ts'
import type { SessionDataStore } from './server-storage.ts'

/** Runs `task` alone for `id`: after every task queued for it before. */
export type LockRunner = <Result>(id: string, task: () => Promise<Result>) => Promise<Result>

/** One user's index as stored: each session id with until when it may live (ms, maybe Infinity). */
export interface IndexEntries {
  /** Session id to the latest moment that session may live, least recently added first. */
  sessions: Map<string, number>
  /** How many entries the index held when records were last checked for existence; `-1`: never. */
  checked: number
}

/** An index at least this large is checked for sessions that no longer exist once it doubles. */
const minimumCheck = 32
// The Date a store can hold: `new Date(Infinity)` is invalid.
const maxDate = 8.64e15

/**
 * The ids of each user's sessions, kept in the session store itself under ids that can never be
 * session ids (they contain a `.`), so no cookie can name them. Each entry records until when its
 * session may live; the storage extends it before a save lets the session live longer. Expired
 * entries are dropped whenever the index is written, and once the index doubles in size (at least
 * {@link minimumCheck} entries), entries whose records no longer exist: it stays about the size of
 * the user's live sessions, however many logins, evictions and renewals came before.
 */
export class UserIndex {
  #store: SessionDataStore
  #withLock: LockRunner

  constructor(store: SessionDataStore, withLock: LockRunner) {
    this.#store = store
    this.#withLock = withLock
  }

  /** Records that session `id` of `user` may live until `until` (ms since the epoch). */
  async add(user: string, id: string, until: number, now: number): Promise<void> {
    let key = await indexId(user)
    await this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      let index = parseIndex(stored, now)
      index.sessions.delete(id)
      index.sessions.set(id, until)
      if (index.checked < 0 || index.sessions.size > Math.max(minimumCheck, 2 * index.checked)) {
        await this.#dropMissing(index, id)
      }
      await this.#write(key, stored !== null, index)
    })
  }

  /** Forgets session `id` of `user` (it was destroyed). */
  async remove(user: string, id: string, now: number): Promise<void> {
    let key = await indexId(user)
    await this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      if (stored === null) return
      let index = parseIndex(stored, now)
      index.sessions.delete(id)
      await this.#write(key, true, index)
    })
  }

  /**
   * Deletes the index of `user` and every session it lists, each under its session's lock, and
   * resolves to how many of them had not expired yet.
   */
  async destroyAll(user: string, now: number): Promise<number> {
    let key = await indexId(user)
    let sessions = await this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      if (stored === null) return new Map<string, number>()
      await this.#store.deleteData(key)
      return parseIndex(stored, -Infinity).sessions
    })
    // Outside the index lock: a save holds its session's lock while it extends the index.
    await Promise.all(
      [...sessions.keys()].map((id) => this.#withLock(id, () => this.#store.deleteData(id))),
    )
    return [...sessions.values()].filter((until) => until > now).length
  }

  async #dropMissing(index: IndexEntries, keep: string): Promise<void> {
    for (let id of [...index.sessions.keys()]) {
      if (id === keep) continue
      let text = await this.#store.readData(id)
      if (text === null || retiredUntil(text) !== undefined) index.sessions.delete(id)
    }
    index.checked = index.sessions.size
  }

  async #write(key: string, exists: boolean, index: IndexEntries): Promise<void> {
    if (index.sessions.size === 0) {
      if (exists) await this.#store.deleteData(key)
      return
    }
    let data = devalue.stringify([1, index.checked, [...index.sessions]])
    let latest = 0
    for (let until of index.sessions.values()) latest = Math.max(latest, until)
    let expires = new Date(Math.min(latest, maxDate))
    if (exists) await this.#store.updateData(key, data, expires)
    else await this.#store.createData(key, data, expires)
  }
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
    for (let id of parsed) if (typeof id === 'string') index.sessions.set(id, Infinity)
    index.checked = -1
    return index
  }
  index.checked = typeof parsed[1] === 'number' ? parsed[1] : 0
  for (let entry of parsed[2] as unknown[]) {
    if (!Array.isArray(entry)) continue
    let [id, until] = entry
    if (typeof id === 'string' && typeof until === 'number' && until > now) {
      index.sessions.set(id, until)
    }
  }
  return index
}
