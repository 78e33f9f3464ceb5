import { isInert, resolveRetiredGrace, retiredMarker, retiredUntil } from './retired-ids.ts'
import { type Session, sessionChanges } from './session.ts'
import { isSessionId } from './session-id.ts'
import { expiresAt, isExpired } from './session-lifetime.ts'
import { applyChanges, decodeRecord, encodeRecord, type SessionRecord } from './session-record.ts'
import type { InferData, KeySchemas } from './session-schema.ts'
import type { SessionStorage } from './session-storage.ts'
import { createStorageRules, type SessionStorageOptions } from './storage-rules.ts'
import { UserIndex } from './user-index.ts'

/**
 * Where a server-side storage keeps session records: four functions over ids and serialized
 * records. The storage built on it handles ids, expiry, schemas, merging and locking.
 */
export interface SessionDataStore {
  /** The record stored under `id`, or `null` when there is none. */
  readData(id: string): Promise<string | null>
  /** Stores a record under a new `id`; `expires` is when it may be discarded. */
  createData(id: string, data: string, expires: Date): Promise<void>
  /** Replaces the record under `id`; `expires` is when it may be discarded. */
  updateData(id: string, data: string, expires: Date): Promise<void>
  /** Deletes the record under `id`; no error when there is none. */
  deleteData(id: string): Promise<void>
}

/** Options for server-side storages (memory, file, Redis, your own). */
export interface ServerStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends SessionStorageOptions<Values, Flash> {
  /**
   * Adopt a well-formed id sent by the client that is not in the store, instead of starting a
   * session with a new id. Default `false`: adopting client-chosen ids allows session fixation.
   */
  useUnknownIds?: boolean
  /**
   * The session value that names the user (say `'userId'`). With it, the storage keeps an index of
   * each user's live sessions, so `destroyUserSessions(user)` can sign a user out everywhere: after
   * a password change, or from an admin page. The index lists every live session of the user,
   * however many logins or renewals came before; it is written when a session starts, when its
   * user changes, and about once per `idleTimeout` while it is used. Default: none.
   */
  userKey?: string
  /**
   * Seconds during which an id replaced by `regenerateId(true)` still answers, with a marker that
   * holds no session data: a request that left the browser with the old cookie before the login
   * (a parallel fetch, a second tab) gets an empty session whose save writes nothing and sends no
   * `Set-Cookie`, instead of clearing or replacing the new cookie and signing the user out again.
   * Past it the old id reads as unknown. `0` deletes the old record at once (in-flight requests
   * then clear the cookie). Default `60`.
   *
   * @throws {TypeError} (from the factory) when not a finite number, 0 or more.
   */
  retiredIdGrace?: number
}

/** The storage type a schema gives: values and flash typed from their key schemas. */
export type TypedSessionStorage<Values, Flash> = SessionStorage<InferData<Values>, InferData<Flash>>

/** A server-side storage: also ends every session of one user. */
export type ServerSessionStorage<Values, Flash> = TypedSessionStorage<Values, Flash> & {
  /**
   * Deletes every live session whose `userKey` value was `user` (as a string) when saved, and
   * resolves to how many it ended. Requests already holding one of them cannot save it back.
   *
   * @throws {TypeError} when the storage was made without the `userKey` option.
   */
  destroyUserSessions(user: string): Promise<number>
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
 * @throws {TypeError} for invalid expiry options or `retiredIdGrace`.
 */
export function createSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(
  store: SessionDataStore,
  options: ServerStorageOptions<Values, Flash> = {},
): ServerSessionStorage<Values, Flash> {
  return new ServerStorage(
    store,
    options as ServerStorageOptions,
  ) as unknown as ServerSessionStorage<Values, Flash>
}

/** What a read learned about a session, for its save. */
interface ReadState {
  /** The stored text: a save that finds it unchanged need not parse it again. */
  text: string
  /** The `userKey` value the record held, as a string. */
  user: string | undefined
  /** Until when the user index lists the session, as the record said. */
  indexedUntil: number | undefined
}

/** What a save found under the session's lock. */
type WriteOutcome = 'written' | 'gone' | 'retired'

// The latest Date a store can hold: `new Date(Infinity)` is invalid.
const maxDate = 8.64e15

class ServerStorage {
  #store: SessionDataStore
  #options: ServerStorageOptions
  #rules: ReturnType<typeof createStorageRules>
  #graceMs: number
  #userKey: string | undefined
  #reads = new WeakMap<Session, ReadState>()
  #locks = new Map<string, Promise<unknown>>()
  #users: UserIndex

  constructor(store: SessionDataStore, options: ServerStorageOptions) {
    this.#store = store
    this.#options = options
    this.#rules = createStorageRules(options)
    this.#graceMs = resolveRetiredGrace(options.retiredIdGrace)
    this.#userKey = options.userKey
    this.#users = new UserIndex(store, (id, task) => this.#withLock(id, task))
  }

  read = async (cookieValue: string | null): Promise<Session> => {
    let rules = this.#rules
    if (!isSessionId(cookieValue)) return rules.fresh()
    let text = await this.#store.readData(cookieValue)
    let retired = text === null ? undefined : retiredUntil(text)
    if (retired !== undefined && Date.now() < retired) return rules.retired()
    if (text === null || retired !== undefined) {
      return rules.fresh(this.#options.useUnknownIds ? cookieValue : undefined)
    }
    let record = decodeRecord(text)
    let session = record && (await rules.restore(cookieValue, record))
    if (record && session) {
      let { indexedUntil } = record
      this.#reads.set(session, { text, user: this.#userOf(record), indexedUntil })
      return session
    }
    // Corrupt, expired, or refused by the schema: start afresh, and free an expired record.
    if (record !== null) await this.#store.deleteData(cookieValue)
    return rules.fresh()
  }

  save = async (session: Session): Promise<string | null> => {
    if (isInert(session)) return null
    if (session.destroyed) return this.#destroy(session)
    let now = Date.now()
    if (!this.#rules.needsWrite(session, now)) return null
    let { originalId, createdAt } = sessionChanges(session)
    // A login (regenerateId) in a request that left before another one retired the same id.
    if (originalId !== session.id && createdAt !== undefined) {
      let text = await this.#store.readData(originalId)
      if (text !== null && this.#liveMarker(text, now)) return null
    }
    let outcome = await this.#withLock(session.id, () => this.#write(session, now))
    if (outcome === 'gone') return ''
    if (outcome === 'retired') return null
    if (session.deleteId !== undefined) await this.#retire(session.deleteId, now)
    return session.id
  }

  destroyUserSessions = async (user: string): Promise<number> => {
    if (this.#userKey === undefined) {
      throw new TypeError(
        'destroyUserSessions() needs the userKey option, naming the session value that holds the user',
      )
    }
    return this.#users.destroyAll(user, Date.now())
  }

  /** Writes the session's record under its lock, first extending the user index if needed. */
  async #write(session: Session, now: number): Promise<WriteOutcome> {
    let changes = sessionChanges(session)
    let stored = changes.createdAt !== undefined && changes.originalId === session.id
    let base = stored ? await this.#store.readData(session.id) : null
    // The record vanished since it was read (a logout elsewhere, destroyUserSessions, expiry): do
    // not revive it. A live marker: this request read the id before a login retired it.
    if (stored && base === null) return 'gone'
    if (base !== null && retiredUntil(base) !== undefined) {
      return this.#liveMarker(base, now) ? 'retired' : 'gone'
    }
    let read = this.#reads.get(session)
    // Unchanged since this request read it, and the session in memory is exactly that text plus
    // its changes (no object lent to be changed in place, no schema that dropped or transformed
    // values): no need to parse it again. Otherwise merge onto what is stored now.
    let unchanged =
      base !== null && base === read?.text && !changes.lent && this.#options.schema === undefined
    let baseRecord = base === null || unchanged ? null : decodeRecord(base)
    // Expired while the request ran, by the timestamps stored now (another request may have renewed
    // it since): do not revive it either.
    let times = baseRecord ?? {
      createdAt: changes.createdAt ?? now,
      touchedAt: changes.touchedAt ?? now,
    }
    if (stored && isExpired(times, this.#rules.lifetime, now)) return 'gone'
    let record = applyChanges(baseRecord, session, now)
    if (unchanged && read?.indexedUntil !== undefined) record.indexedUntil = read.indexedUntil
    let userChanged = !stored || (this.#userKey !== undefined && changes.values.has(this.#userKey))
    await this.#index(record, session.id, userChanged, now)
    let expires = new Date(Math.min(expiresAt(record, this.#rules.lifetime), maxDate))
    let data = encodeRecord(record)
    if (base === null) await this.#store.createData(session.id, data, expires)
    else await this.#store.updateData(session.id, data, expires)
    return 'written'
  }

  /**
   * Lists the session in its user's index until at least when the record about to be written may
   * live, unless the index already does; sets what it holds on the record. The index gets a margin
   * of one more idle period (capped by the absolute lifetime), so renewals rarely write it.
   */
  async #index(
    record: SessionRecord,
    id: string,
    userChanged: boolean,
    now: number,
  ): Promise<void> {
    let user = this.#userOf(record)
    if (user === undefined) {
      delete record.indexedUntil
      return
    }
    let { idleMs, absoluteMs } = this.#rules.lifetime
    let expires = expiresAt(record, this.#rules.lifetime)
    if (!userChanged && record.indexedUntil !== undefined && record.indexedUntil >= expires) return
    let until = Math.min(expires + idleMs, record.createdAt + absoluteMs)
    await this.#users.add(user, id, until, now)
    record.indexedUntil = until
  }

  /** Ends a destroyed session: deletes its records and forgets it in its user's index. */
  async #destroy(session: Session): Promise<string | null> {
    let { originalId, createdAt } = sessionChanges(session)
    if (createdAt !== undefined) {
      let retired = await this.#withLock(originalId, async () => {
        let text = await this.#store.readData(originalId)
        if (text !== null && this.#liveMarker(text, Date.now())) return true
        await this.#store.deleteData(originalId)
        return false
      })
      // Logged out in a request that left before a login retired its id: the login stands.
      if (retired) return null
    }
    if (session.id !== originalId) {
      await this.#withLock(session.id, () => this.#store.deleteData(session.id))
    }
    let user = this.#reads.get(session)?.user
    if (user !== undefined) await this.#users.remove(user, originalId, Date.now())
    return ''
  }

  /** Replaces the record of an id that `regenerateId(true)` replaced by a marker, or deletes it. */
  async #retire(id: string, now: number): Promise<void> {
    await this.#withLock(id, async () => {
      if (this.#graceMs === 0) return this.#store.deleteData(id)
      let until = now + this.#graceMs
      await this.#store.updateData(id, retiredMarker(until), new Date(until))
    })
  }

  #liveMarker(text: string, now: number): boolean {
    let until = retiredUntil(text)
    return until !== undefined && now < until
  }

  #userOf(record: SessionRecord): string | undefined {
    let user = this.#userKey === undefined ? undefined : record.values[this.#userKey]
    return typeof user === 'string' ? user : undefined
  }

  async #withLock<Result>(id: string, task: () => Promise<Result>): Promise<Result> {
    let previous = this.#locks.get(id) ?? Promise.resolve()
    let current = previous.then(task, task)
    let settled = current.catch(() => {})
    this.#locks.set(id, settled)
    try {
      return await current
    } finally {
      if (this.#locks.get(id) === settled) this.#locks.delete(id)
    }
  }
}
