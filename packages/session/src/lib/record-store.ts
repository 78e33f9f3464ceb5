import type { Session } from './session.ts'
import type { Lifetime } from './session-lifetime.ts'
import type { SessionRecord } from './session-record.ts'
import { SessionUserError } from './session-user-error.ts'
import { isWellFormed } from './well-formed.ts'

/** What a store holds under a session id, as the server storage core sees it. */
export type Found =
  | { kind: 'none' }
  /** An id replaced by `regenerateId(true)`; the marker ends at `until` (ms since the epoch). */
  | { kind: 'retired'; until: number }
  /** Something no version of this storage wrote: the core deletes it and starts afresh. */
  | { kind: 'corrupt' }
  /**
   * A session record; `text` is its serialized form when the store keeps one string. `lent`: the
   * record is the store's own (kept in memory), never to change: the core restores it with
   * `restoreKept`, which hands out copies.
   */
  | { kind: 'record'; record: SessionRecord; text?: string; lent?: boolean }

/** What a write, retire or forget found under the session's id. */
export type WriteOutcome = 'written' | 'gone' | 'retired'

/** What a read learned about a session, kept for its save. */
export interface ReadState {
  /**
   * The stored text, when the store keeps one: a save that finds it unchanged need not parse it
   * (see `saveBase`).
   */
  text: string | undefined
  /** The user the record named (see {@link userOf}). */
  user: string | undefined
  /** Until when (ms since the epoch) the user index lists the session, as the record said. */
  indexedUntil: number | undefined
}

/**
 * The id a session was read under, for a save under a new id (`regenerateId`): what must still be
 * stored there for the save to go on. `'retired'`: the marker this save's own `retire` left
 * (`regenerateId(true)`); `'live'`: the live, unexpired session (`regenerateId()`).
 */
export interface Origin {
  id: string
  expect: 'retired' | 'live'
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
  /** When a record written whole (`stored: false`) began, in ms since the epoch. */
  createdAt: number
  /**
   * Whether the write renews the session: its last use (`touchedAt`) becomes `now` and its expiry
   * moves with it, and the cookie is sent again. Always for a record written whole. `false` (a
   * merge of changes between renewals): the stored `touchedAt` and expiry stay as they are, even
   * when another request renewed them since this one read them.
   */
  renews: boolean
  /**
   * For a session saved under a new id: the id it was read under, checked atomically with the
   * write (or, on Redis Cluster, right after it, deleting the new record when the check fails).
   * The write then resolves to `'gone'` when the original was deleted or expired, `'retired'`
   * when it is a marker a save of this session did not leave.
   */
  origin: Origin | undefined
  /** What the read found, when the session was read from this store. */
  read: ReadState | undefined
  /** The `userKey` option, when set. */
  userKey: string | undefined
  /** Whether the save changes the session's user (or writes a new record). */
  userChanged: boolean
  /** An id to take out of the user's index (the id `regenerateId(true)` replaced), or `''`. */
  dropped: string
  /** The most live sessions a user keeps (`maxSessionsPerUser`; may be `Infinity`). */
  maxPerUser: number
}

/**
 * The operations the server storage core runs on a store of session records. The core decides
 * every rule (what a read gives, when a save writes, what a race means); a store only carries out
 * each operation, atomically per session id. The core's own {@link SessionDataStore} adapter and
 * the Redis storage (one Lua script per operation) implement it.
 */
export interface RecordStore {
  /**
   * What is stored under `id`; given at once (not a promise) by a store that keeps records in
   * memory, which then checks expiry against `now` (ms since the epoch, the caller's clock read).
   * Rejects only for a real I/O failure.
   */
  find(id: string, now: number): Found | Promise<Found>
  /** Deletes what is stored under `id` (a corrupt or expired record, a finished login's marker). */
  drop(id: string): Promise<void>
  /**
   * Writes a session as planned, with its user index when it names a user. When the index then
   * lists more than `plan.maxPerUser` sessions, ids no longer live are taken out, then the live
   * ones used least recently (never this one) are deleted, then taken out of the index. May give
   * its outcome at once (not a promise), or throw, when done without waiting (memory storage).
   */
  write(plan: WritePlan): WriteOutcome | Promise<WriteOutcome>
  /**
   * Replaces the live session under `id` by a retired marker ending at `until` (ms since the
   * epoch). `'gone'` when nothing live was there, `'retired'` when a live marker already was (both
   * change nothing).
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
  /**
   * Deletes every session (and retired marker) `user`'s index lists, then takes them out of the
   * index, so a failure part way leaves the rest listed for a retry; then once more, so sessions
   * indexed meanwhile by logins in flight when it began are ended too. Bounded: a client that
   * keeps logging in cannot keep it running. Resolves to how many live sessions it deleted.
   */
  destroyUser(user: string, now: number, lifetime: Lifetime): Promise<number>
  /**
   * The sessions `user`'s index lists that may be live at `now`, each with what is stored under
   * its id (retired markers, expired and missing records included where the store cannot tell
   * them apart cheaply): the core keeps the live records whose user is still `user`.
   */
  listUser(user: string, now: number, lifetime: Lifetime): Promise<ListedSession[]>
  /**
   * Deletes the session under `id` if, when deleted, it is live at `now` and its `userKey` value
   * still names `user` (checked atomically with the delete: a session that changed hands or ended
   * meanwhile is left alone), then takes it out of `user`'s index. Resolves to whether it deleted
   * one.
   */
  endUserSession(
    id: string,
    owner: { user: string; userKey: string },
    now: number,
    lifetime: Lifetime,
  ): Promise<boolean>
}

/** One session a user index lists, as {@link RecordStore.listUser} gives it. */
export interface ListedSession {
  /** The session id the index lists. */
  id: string
  /** What is stored under it now. */
  found: Found
}

/**
 * Until when a user index entry for a session with these timestamps should last: one idle period
 * past when the session ends now (capped by its absolute lifetime), so renewals rarely rewrite it.
 */
export function indexUntil(createdAt: number, expires: number, lifetime: Lifetime): number {
  return Math.min(expires + lifetime.idleMs, createdAt + lifetime.absoluteMs)
}

/**
 * The user a `userKey` value names: a string as it is, a safe integer or a bigint as its decimal
 * string (`42`, `42n` and `'42'` are one user); `undefined` for anything else (a fraction, a
 * number beyond `Number.MAX_SAFE_INTEGER`, whose decimal form would name another user than the
 * bigint it stands for, an object, a string holding a lone surrogate), so such a session is not
 * indexed.
 */
export function userOf(value: unknown): string | undefined {
  // Encoded (hashed, sent to Redis or PostgreSQL), a lone surrogate becomes U+FFFD: '\uD800',
  // '\uDBFF' and '\uFFFD' would name one user.
  if (typeof value === 'string') return isWellFormed(value) ? value : undefined
  if (typeof value === 'bigint') return String(value)
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return undefined
}

/**
 * {@link userOf}, refusing a value that cannot name a user instead of leaving it unindexed.
 *
 * @throws {SessionUserError} (a `TypeError`) naming `userKey` for a value that is neither
 * nullish, a string without lone surrogates, a safe integer nor a bigint.
 */
export function checkedUser(value: unknown, userKey: string): string | undefined {
  let user = userOf(value)
  if (user === undefined && value !== undefined && value !== null) {
    let kind =
      typeof value === 'number'
        ? String(value)
        : typeof value === 'string'
          ? 'a string with a lone surrogate'
          : typeof value
    throw new SessionUserError(
      `The session value "${userKey}" (the userKey option) must be a string (without lone surrogates), a safe integer or a bigint, got ${kind}`,
    )
  }
  return user
}

/**
 * Checks the `maxSessionsPerUser` option.
 *
 * @throws {TypeError} unless a positive integer or `Infinity`.
 */
export function resolveMaxPerUser(value: number | undefined = 100): number {
  if (value !== Number.POSITIVE_INFINITY && !(Number.isInteger(value) && value >= 1)) {
    throw new TypeError(`maxSessionsPerUser must be a positive integer or Infinity, got ${value}`)
  }
  return value
}
