import { DataStoreRecords } from './data-store-records.ts'
import {
  checkedUser,
  type Found,
  type Origin,
  type ReadState,
  type RecordStore,
  resolveMaxPerUser,
  userOf,
} from './record-store.ts'
import { isInert, resolveRetiredGrace } from './retired-ids.ts'
import {
  keepWithSession,
  keptWithSession,
  type Session,
  type SessionChanges,
  sessionChanges,
  sessionValue,
} from './session.ts'
import type { SessionDataStore } from './session-data-store.ts'
import { isSessionId } from './session-id.ts'
import { expiresAt, renewsOnChange } from './session-lifetime.ts'
import type { FlashSchemas, InferData, SessionSchema, ValueSchemas } from './session-schema.ts'
import type { SessionStorage } from './session-storage.ts'
import { createStorageRules, type SessionStorageOptions } from './storage-rules.ts'
import { isThenable } from './thenable.ts'
import {
  describeSessions,
  type ListUserSessionsOptions,
  type RestoredSession,
  sameText,
  sessionHandle,
  type UserSession,
} from './user-sessions.ts'

// Declared in its own module (the stores build on it, the core builds on the stores); re-exported
// here, where it has always been importable from.
export type { SessionDataStore }

/** Options for server-side storages (memory, file, Redis, your own). */
export interface ServerStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends SessionStorageOptions<Schema> {
  /**
   * Adopt a well-formed id sent by the client that is not in the store, instead of starting a
   * session with a new id. Default `false`: adopting client-chosen ids allows session fixation.
   */
  useUnknownIds?: boolean
  /**
   * The session value that names the user (say `'userId'`). With it, the storage keeps an index of
   * each user's live sessions, so `destroyUserSessions(user)` can sign a user out everywhere: after
   * a password change, or from an admin page. The index lists every live session of the user (at
   * most `maxSessionsPerUser`); it is written when a session starts, when its user changes, and
   * about once per `idleTimeout` while it is used. The value may be a string (without lone
   * surrogates), a safe integer or a bigint (`42`, `42n` and `'42'` name one user); `save`
   * throws a `SessionUserError` (a `TypeError`) before writing anything when the request sets any
   * other value there (a fraction, a number beyond `Number.MAX_SAFE_INTEGER`: use a bigint or a
   * string; `null`/`undefined`: no user). Such a value stored by an older version is left unindexed. A save under
   * `regenerateId(true)` that sets this value is a login: it alone starts a new absolute lifetime
   * (without `userKey`, or without setting it, `regenerateId(true)` keeps the session's creation
   * time, so rotating ids never carries a session past `absoluteTimeout`). Default: none.
   */
  userKey?: string
  /**
   * With `userKey`: the most live sessions one user keeps. A save that would index one more
   * (a login on another device) deletes the user's sessions used least recently (ids no longer
   * live are unlisted first, at no session's cost), so the index, and the work of each login,
   * stay bounded however often anyone logs in as the user, and `destroyUserSessions` still ends
   * every live one. Mind that anyone with the password can sign the user's other devices out by
   * logging in this many times: rate-limit logins. Default `100`; `Infinity` for no cap.
   *
   * @throws {TypeError} (from the factory) unless a positive integer or `Infinity`.
   */
  maxSessionsPerUser?: number
  /**
   * Seconds during which an id replaced by `regenerateId(true)` still answers, with a marker that
   * holds no session data: a request that left the browser with the old cookie before the login
   * (a parallel fetch, a second tab) gets an empty session whose save writes nothing and sends no
   * `Set-Cookie`, instead of clearing or replacing the new cookie and signing the user out again
   * (unless that request itself logs in, calling `regenerateId(true)` and setting the `userKey`
   * value: a login retried, saved as a new session with only what it set; a `regenerateId(true)`
   * alone, say from an id-rotation middleware, saves nothing). Past it the old id reads as
   * unknown. `0` deletes the old record once the login is saved (in-flight requests then clear
   * the cookie). Default `60`.
   *
   * @throws {TypeError} (from the factory) when not a finite number, 0 or more.
   */
  retiredIdGrace?: number
}

/**
 * The storage type a schema gives (`TypedSessionStorage<typeof schema>`): values and flash typed
 * from their key schemas. Without a schema, or for a part it leaves out: any keys, values
 * `unknown`.
 */
export type TypedSessionStorage<Schema extends SessionSchema = SessionSchema> = SessionStorage<
  InferData<ValueSchemas<Schema>>,
  InferData<FlashSchemas<Schema>>
>

/**
 * A server-side storage for a schema (`ServerSessionStorage<typeof schema>`): also lists and ends
 * the sessions of one user.
 */
export type ServerSessionStorage<Schema extends SessionSchema = SessionSchema> =
  TypedSessionStorage<Schema> & {
    /**
     * Deletes every live session whose `userKey` value named `user` when saved (`42`, `42n` and
     * `'42'` name one user), and resolves to how many live sessions it ended (not counting retired
     * ids or expired ones). Requests already holding one of them cannot save it back, nor carry it
     * on under a new id; a login in flight from one of them is ended too. It goes over the index
     * once, then once more for what logins in flight listed meanwhile, and no further: a client
     * that keeps logging in cannot keep it from returning (a login saved after it returned stands).
     * When it rejects (an I/O failure) part way, calling it again finishes the job.
     *
     * @throws {TypeError} when the storage was made without the `userKey` option, or for a `user`
     * that is not a string, a safe integer or a bigint.
     */
    destroyUserSessions(user: string | number | bigint): Promise<number>
    /**
     * Every live session of `user` (whose `userKey` value named the user when saved), most recently
     * used first: when each began, was last used and ends, whether it is `current`, and the values
     * named by `keys` (a device name the app set at login, say), never the session ids: each has an
     * opaque `handle` for {@link ServerSessionStorage.destroySessionByHandle}. Sessions that
     * expired, were destroyed, or were saved since under another user are left out. After
     * `regenerateId()` (without `true`) the old id still answers until it expires, so it is listed
     * too. It reads each session the user index lists (at most `maxSessionsPerUser`; PostgreSQL:
     * one query).
     *
     * @throws {TypeError} when the storage was made without the `userKey` option, or for a `user`
     * that is not a string, a safe integer or a bigint.
     */
    listUserSessions<Key extends keyof InferData<ValueSchemas<Schema>> & string = never>(
      user: string | number | bigint,
      options?: ListUserSessionsOptions<Key>,
    ): Promise<UserSession<Pick<InferData<ValueSchemas<Schema>>, Key>>[]>
    /**
     * Ends the live session of `user` whose {@link UserSession.handle} is `handle` ("sign out that
     * device"), as `session.destroy()` in its own request would: its next request gets a fresh
     * session, and a request holding it cannot save it back. The session is deleted only if it is
     * still `user`'s and live when deleted (checked atomically with the delete): resolves to `true`
     * when it ended one, `false` when no live session of `user` has that handle (already ended,
     * saved meanwhile under another user, another user's, not a handle, or a login from it replaced
     * its id). A session whose id a request rotated with `regenerateId()` after the list was read
     * carries on under its new id, which has a new handle: list again.
     *
     * @throws {TypeError} when the storage was made without the `userKey` option, or for a `user`
     * that is not a string, a safe integer or a bigint.
     */
    destroySessionByHandle(user: string | number | bigint, handle: string): Promise<boolean>
  }

/**
 * Builds a server-side session storage on a {@link SessionDataStore}: the cookie holds only the
 * session id; the store holds the data. Saves of one session in this process are serialized and
 * merged key by key, so concurrent requests that change different keys all persist (the same key:
 * the last save wins).
 *
 * @example
 * const storage = createSessionStorage({
 *   readData: (id) => db.get(id),
 *   createData: (id, data, expires) => db.insert(id, data, expires),
 *   updateData: (id, data, expires) => db.update(id, data, expires),
 *   deleteData: (id) => db.delete(id),
 * })
 * @throws {TypeError} for invalid expiry options, `retiredIdGrace` or `maxSessionsPerUser`.
 */
export function createSessionStorage<Schema extends SessionSchema = SessionSchema>(
  store: SessionDataStore,
  options: ServerStorageOptions<Schema> = {},
): ServerSessionStorage<Schema> {
  let records = new DataStoreRecords(store, options.schema !== undefined)
  return new ServerStorage(
    records,
    options as ServerStorageOptions,
  ) as unknown as ServerSessionStorage<Schema>
}

/** The `save` of each storage made here, and the storage: see {@link keepsCookieOnSave}. */
const ownSaves = new WeakMap<SessionStorage['save'], ServerStorage>()

/**
 * Whether `save(session)` leaves the changed session's cookie as it is, a second from now too:
 * `save` is the own `save` of a storage made here (not a wrapper's), and it keeps the session's id
 * and changes neither its user nor its expiry (no renewal due). `commitSession` then need not check
 * before the save that the response could carry a cookie.
 */
export function keepsCookieOnSave(save: SessionStorage['save'], session: Session): boolean {
  return ownSaves.get(save)?.keepsCookie(session) === true
}

/** What a read keeps of a record kept in memory, without a user nor an index: one object. */
const readNothing: ReadState = Object.freeze({
  text: undefined,
  user: undefined,
  indexedUntil: undefined,
})

/** A record a store found. */
type FoundRecord = Extract<Found, { kind: 'record' }>

/**
 * How long (ms) the marker under the old id lasts while a login with `retiredIdGrace: 0` saves:
 * the save deletes it once the new record is written. It only outlives that when the process dies
 * mid-save.
 */
const loginMarkerMs = 60_000

/**
 * The rules of every server-side storage, once: what a read gives for each thing it finds, when a
 * save writes, and what a race with a login, a logout or an expiry means for the cookie. The
 * {@link RecordStore} only carries out each operation (memory, files and custom stores through
 * {@link SessionDataStore}; Redis with one script per operation).
 */
export class ServerStorage {
  #records: RecordStore
  #options: ServerStorageOptions
  #rules: ReturnType<typeof createStorageRules>
  #graceMs: number
  #maxPerUser: number
  #userKey: string | undefined

  /** @throws {TypeError} for invalid expiry options, `retiredIdGrace` or `maxSessionsPerUser`. */
  constructor(records: RecordStore, options: ServerStorageOptions) {
    this.#records = records
    this.#options = options
    this.#rules = createStorageRules(options)
    this.#graceMs = resolveRetiredGrace(options.retiredIdGrace)
    this.#maxPerUser = resolveMaxPerUser(options.maxSessionsPerUser)
    this.#userKey = options.userKey
    ownSaves.set(this.save, this)
  }

  /** See {@link keepsCookieOnSave}: whether a save of the changed `session` sends no cookie. */
  keepsCookie(session: Session): boolean {
    if (session.destroyed || isInert(session)) return false
    let changes = sessionChanges(session)
    if (changes.createdAt === undefined || changes.originalId !== session.id) return false
    let userKey = this.#userKey
    if (userKey !== undefined && changes.values.has(userKey)) return false
    // A second on: the save reads the clock again, and must not find the renewal due then.
    let now = Date.now() + 1000
    return !this.#renewalDue(session, changes, this.#readState(session), now)
  }

  /** The session for a cookie value: see {@link SessionStorage.read}. */
  read = async (cookieValue: string | null): Promise<Session> => {
    let rules = this.#rules
    if (!isSessionId(cookieValue)) return rules.fresh()
    // Awaited only when a promise (of any realm): memory storage finds at once, and each await
    // costs a turn. What a store gives at once (a `Found`, a session, an outcome) has no `then`.
    // One clock read for the find and the expiry check (each costs as much as a Map lookup), read
    // again after a find that waited.
    let now = Date.now()
    let finding = this.#records.find(cookieValue, now)
    let found: Found
    if (isThenable(finding)) {
      found = await finding
      now = Date.now()
    } else {
      found = finding
    }
    if (found.kind === 'none')
      return rules.fresh(this.#options.useUnknownIds ? cookieValue : undefined)
    // Past its end a marker reads as an unknown id, never adopted.
    if (found.kind === 'retired') return now < found.until ? rules.retired() : rules.fresh()
    let restoring = found.kind === 'record' ? this.#restore(cookieValue, found, now) : null
    let session = isThenable(restoring) ? await restoring : restoring
    if (found.kind === 'record' && session) {
      let { text, record } = found
      let user = this.#userKey === undefined ? undefined : userOf(record.values[this.#userKey])
      let { indexedUntil } = record
      let nothing = text === undefined && user === undefined && indexedUntil === undefined
      keepWithSession(session, this, nothing ? readNothing : { text, user, indexedUntil })
      return session
    }
    // Corrupt, expired, or refused by the schema: free the record and start afresh.
    await this.#records.drop(cookieValue)
    return rules.fresh()
  }

  /** Saves a session: see {@link SessionStorage.save}. */
  save = async (session: Session): Promise<string | null> => {
    let changes = sessionChanges(session)
    let logsIn = this.#logsIn(session, changes)
    // Read under a retired id: saves nothing, unless the request logs in anew (regenerateId(true)
    // and sets the userKey value): then it is a new session holding only what this request set.
    if (isInert(session) && (session.deleteId === undefined || session.destroyed || !logsIn)) {
      return null
    }
    if (session.destroyed) return this.#destroy(session)
    let now = Date.now()
    if (!this.#rules.needsWrite(session, now, changes)) return null
    let userKey = this.#userKey
    // Read from the store and saved under a new id (regenerateId).
    let renamed = changes.createdAt !== undefined && changes.originalId !== session.id
    let stored = changes.createdAt !== undefined && !renamed
    let userChanged = !stored || (userKey !== undefined && changes.values.has(userKey))
    // Before anything is written: setting a value that cannot name a user is a mistake in the app.
    // One already stored (by an older version) is left unindexed, under a new id too.
    if (userKey !== undefined && changes.values.has(userKey)) {
      checkedUser(sessionValue(session, userKey), userKey)
    }
    let origin = renamed ? await this.#retireOriginal(session, now) : undefined
    if (typeof origin === 'string' || origin === null) return origin
    let read = this.#readState(session)
    let renews = !stored || userChanged || this.#renewalDue(session, changes, read, now)
    let writing = this.#records.write({
      session,
      id: session.id,
      now,
      lifetime: this.#rules.lifetime,
      stored,
      // Only a login (regenerateId(true) saved with the userKey value set) starts a new absolute
      // lifetime: rotating the id alone, however often, never carries a session past its end.
      createdAt: origin?.expect === 'retired' && logsIn ? now : (changes.createdAt ?? now),
      renews,
      origin,
      read,
      userKey,
      userChanged,
      dropped: session.deleteId ?? '',
      maxPerUser: this.#maxPerUser,
    })
    let outcome = isThenable(writing) ? await writing : writing
    if (origin?.expect === 'retired' && this.#graceMs === 0) await this.#records.drop(origin.id)
    if (outcome === 'gone') return ''
    if (outcome === 'retired') return null
    let user = userKey === undefined ? undefined : userOf(sessionValue(session, userKey))
    // The session changed hands (or logged out of its user): the old user's index forgets the
    // id it was read under, once that id no longer holds the old user's session (the same id
    // saved, or retired by regenerateId(true)). After regenerateId() the old id still answers
    // with the old user's data until it expires: it stays listed, so destroyUserSessions ends it.
    let originalGone = !renamed || session.deleteId !== undefined
    if (read?.user !== undefined && read.user !== user && originalGone) {
      await this.#records.unindex(read.user, changes.originalId, now)
    }
    // The cookie holds only the id: between renewals a change leaves it as it is.
    return renews ? session.id : null
  }

  /** Ends every session of one user: see {@link ServerSessionStorage.destroyUserSessions}. */
  destroyUserSessions = async (user: string | number | bigint): Promise<number> => {
    let name = this.#userName('destroyUserSessions()', user)
    return this.#records.destroyUser(name, Date.now(), this.#rules.lifetime)
  }

  /** Lists one user's sessions: see {@link ServerSessionStorage.listUserSessions}. */
  listUserSessions = async (
    user: string | number | bigint,
    options: ListUserSessionsOptions = {},
  ): Promise<UserSession[]> => {
    let live = await this.#liveSessions(this.#userName('listUserSessions()', user))
    return describeSessions(live, this.#rules.lifetime, options)
  }

  /** Ends one session of a user: see {@link ServerSessionStorage.destroySessionByHandle}. */
  destroySessionByHandle = async (
    user: string | number | bigint,
    handle: string,
  ): Promise<boolean> => {
    let name = this.#userName('destroySessionByHandle()', user)
    if (typeof handle !== 'string' || !/^[\w-]{43}$/.test(handle)) return false
    let owner = { user: name, userKey: this.#userKey as string }
    for (let { listed } of await this.#liveSessions(name)) {
      if (!sameText(await sessionHandle(listed.id), handle)) continue
      return this.#records.endUserSession(listed.id, owner, Date.now(), this.#rules.lifetime)
    }
    return false
  }

  /** The user a user-level call names, checked. */
  #userName(method: string, user: string | number | bigint): string {
    if (this.#userKey === undefined) {
      throw new TypeError(
        `${method} needs the userKey option, naming the session value that holds the user`,
      )
    }
    let name = userOf(user)
    if (name === undefined) {
      let kinds = 'a string (without lone surrogates), a safe integer or a bigint'
      throw new TypeError(`${method} takes ${kinds}, got ${String(user)}`)
    }
    return name
  }

  /** The live sessions `user`'s index lists whose `userKey` value still names `user`. */
  async #liveSessions(user: string): Promise<RestoredSession[]> {
    let userKey = this.#userKey as string
    let listed = await this.#records.listUser(user, Date.now(), this.#rules.lifetime)
    let live: RestoredSession[] = []
    for (let entry of listed) {
      if (entry.found.kind !== 'record') continue
      let session = await this.#restore(entry.id, entry.found, Date.now())
      if (session && userOf(sessionValue(session, userKey)) === user)
        live.push({ listed: entry, session })
    }
    return live
  }

  /**
   * Whether a save of a stored session, under its id and user, must renew it: the session is due
   * for a renewal (see `renewsOnChange`: a change renews a session last renewed a minute ago or
   * more, and a save without changes is a renewal), or the user index may not list the session
   * until its current end (a record an older version wrote, or one read by another storage
   * object), which only a renewal's write extends.
   */
  #renewalDue(
    session: Session,
    { createdAt, touchedAt }: SessionChanges,
    read: ReadState | undefined,
    now: number,
  ): boolean {
    let lifetime = this.#rules.lifetime
    if (createdAt === undefined || touchedAt === undefined) return true
    if (!session.dirty || renewsOnChange(touchedAt, lifetime, now)) return true
    let userKey = this.#userKey
    if (userKey === undefined || userOf(sessionValue(session, userKey)) === undefined) return false
    let indexed = read?.indexedUntil
    return indexed === undefined || indexed < expiresAt({ createdAt, touchedAt }, lifetime)
  }

  /**
   * The session for a record found under `id`; `null` when it expired at `now` or failed the
   * schema.
   */
  #restore(id: string, found: FoundRecord, now: number): Session | null | Promise<Session | null> {
    let rules = this.#rules
    return found.lent
      ? rules.restoreKept(id, found.record, now)
      : rules.restore(id, found.record, now)
  }

  /**
   * Whether this save is a login: the request set the `userKey` value to a user. Without the
   * `userKey` option no save is one: the storage cannot tell a login from an id rotation.
   */
  #logsIn(session: Session, changes: SessionChanges): boolean {
    let userKey = this.#userKey
    if (userKey === undefined || !changes.values.has(userKey)) return false
    let value = sessionValue(session, userKey)
    return value !== undefined && value !== null
  }

  /**
   * For a stored session saved under a new id: with `regenerateId(true)`, retires the original
   * first, atomically, so that of two requests logging in with one session only one carries it
   * on, and a session deleted meanwhile is not carried on (`''`, or `null` when a login retired it
   * first). Resolves to what the write must find under the original id.
   */
  async #retireOriginal(session: Session, now: number): Promise<Origin | string | null> {
    let { originalId } = sessionChanges(session)
    if (session.deleteId === undefined) return { id: originalId, expect: 'live' }
    // With no grace, a marker lives only while the login saves, so the write can check it.
    let until = now + (this.#graceMs === 0 ? loginMarkerMs : this.#graceMs)
    let retired = await this.#records.retire(originalId, until, now, this.#rules.lifetime)
    if (retired !== 'written') return retired === 'gone' ? '' : null
    return { id: originalId, expect: 'retired' }
  }

  /** What this storage kept of the session's read; `undefined` for one it did not read. */
  #readState(session: Session): ReadState | undefined {
    return keptWithSession(session, this) as ReadState | undefined
  }

  /** Ends a destroyed session: deletes its records and forgets it in its user's index. */
  async #destroy(session: Session): Promise<string | null> {
    let { originalId, createdAt } = sessionChanges(session)
    // Never stored: nothing to delete.
    if (createdAt === undefined) return ''
    let user = this.#readState(session)?.user
    let outcome = await this.#records.forget(originalId, session.id, user, Date.now())
    // Logged out in a request that left before a login retired its id: the login stands.
    return outcome === 'retired' ? null : ''
  }
}
