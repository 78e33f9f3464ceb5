import type { Session } from './session.ts'
import type { Lifetime } from './session-lifetime.ts'
import type { SessionRecord } from './session-record.ts'

/** What a store holds under a session id, as the server storage core sees it. */
export type Found =
  | { kind: 'none' }
  /** An id replaced by `regenerateId(true)`; the marker ends at `until` (ms since the epoch). */
  | { kind: 'retired'; until: number }
  /** Something no version of this storage wrote: the core deletes it and starts afresh. */
  | { kind: 'corrupt' }
  /** A session record; `text` is its serialized form when the store keeps one string. */
  | { kind: 'record'; record: SessionRecord; text?: string }

/** What a write, retire or forget found under the session's id. */
export type WriteOutcome = 'written' | 'gone' | 'retired'

/** What a read learned about a session, kept for its save. */
export interface ReadState {
  /** The stored text, when the store keeps one: a save that finds it unchanged need not parse it. */
  text: string | undefined
  /** The `userKey` value the record held, as a string. */
  user: string | undefined
  /** Until when (ms since the epoch) the user index lists the session, as the record said. */
  indexedUntil: number | undefined
}

/** Everything a store needs to write one session, decided by the core. */
export interface WritePlan {
  session: Session
  /** The id to write under (`session.id`). */
  id: string
  now: number
  lifetime: Lifetime
  /**
   * `true`: merge the session's changes onto the stored record, refusing (`'gone'`) when it was
   * deleted, retired or expired since it was read. `false`: write the whole session, replacing.
   */
  stored: boolean
  /** What the read found, when the session was read from this store. */
  read: ReadState | undefined
  /** The `userKey` option, when set. */
  userKey: string | undefined
  /** Whether the save changes the session's user (or writes a new record). */
  userChanged: boolean
  /** An id to take out of the user's index (the id `regenerateId(true)` replaced), or `''`. */
  dropped: string
}

/**
 * The operations the server storage core runs on a store of session records. The core decides
 * every rule (what a read gives, when a save writes, what a race means); a store only carries out
 * each operation, atomically per session id. The core's own {@link SessionDataStore} adapter and
 * the Redis storage (one Lua script per operation) implement it.
 */
export interface RecordStore {
  /** What is stored under `id`. Rejects only for a real I/O failure. */
  find(id: string): Promise<Found>
  /** Deletes what is stored under `id` (a corrupt or expired record). */
  drop(id: string): Promise<void>
  /** Writes a session as planned, with its user index when `plan.userKey` names a user. */
  write(plan: WritePlan): Promise<WriteOutcome>
  /**
   * Replaces the live session under `id` by a retired marker ending at `until` (ms since the
   * epoch), or deletes it when `until` is 0. `'gone'` when nothing live was there, `'retired'`
   * when a live marker already was (both change nothing).
   */
  retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome>
  /**
   * Deletes the session stored under `originalId` and, when different, `id`, and takes it out of
   * `user`'s index; `'retired'` (deleting nothing) when `originalId` is a live retired marker.
   */
  forget(
    originalId: string,
    id: string,
    user: string | undefined,
    now: number,
  ): Promise<WriteOutcome>
  /** Takes `id` out of `user`'s index (the session now belongs to someone else, or no one). */
  unindex(user: string, id: string, now: number): Promise<void>
  /** Deletes every session in `user`'s index and the index; resolves to how many were live. */
  destroyUser(user: string, now: number): Promise<number>
}

/**
 * Until when a user index entry for a session with these timestamps should last: one idle period
 * past when the session ends now (capped by its absolute lifetime), so renewals rarely rewrite it.
 */
export function indexUntil(createdAt: number, expires: number, lifetime: Lifetime): number {
  return Math.min(expires + lifetime.idleMs, createdAt + lifetime.absoluteMs)
}
