import { DataStoreRecords } from './data-store-records.ts'
import type { ReadState, RecordStore } from './record-store.ts'
import { isInert, resolveRetiredGrace } from './retired-ids.ts'
import { type Session, sessionChanges } from './session.ts'
import { isSessionId } from './session-id.ts'
import type { SessionRecord } from './session-record.ts'
import type { InferData, KeySchemas } from './session-schema.ts'
import type { SessionStorage } from './session-storage.ts'
import { createStorageRules, type SessionStorageOptions } from './storage-rules.ts'

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
  let records = new DataStoreRecords(store, options.schema !== undefined)
  return new ServerStorage(
    records,
    options as ServerStorageOptions,
  ) as unknown as ServerSessionStorage<Values, Flash>
}

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
  #userKey: string | undefined
  #reads = new WeakMap<Session, ReadState>()

  /** @throws {TypeError} for invalid expiry options or `retiredIdGrace`. */
  constructor(records: RecordStore, options: ServerStorageOptions) {
    this.#records = records
    this.#options = options
    this.#rules = createStorageRules(options)
    this.#graceMs = resolveRetiredGrace(options.retiredIdGrace)
    this.#userKey = options.userKey
  }

  /** The session for a cookie value: see {@link SessionStorage.read}. */
  read = async (cookieValue: string | null): Promise<Session> => {
    let rules = this.#rules
    if (!isSessionId(cookieValue)) return rules.fresh()
    let found = await this.#records.find(cookieValue)
    if (found.kind === 'none')
      return rules.fresh(this.#options.useUnknownIds ? cookieValue : undefined)
    // Past its end a marker reads as an unknown id, never adopted.
    if (found.kind === 'retired') return Date.now() < found.until ? rules.retired() : rules.fresh()
    let session = found.kind === 'record' ? await rules.restore(cookieValue, found.record) : null
    if (found.kind === 'record' && session) {
      let { text, record } = found
      this.#reads.set(session, {
        text,
        user: this.#userOf(record),
        indexedUntil: record.indexedUntil,
      })
      return session
    }
    // Corrupt, expired, or refused by the schema: free the record and start afresh.
    await this.#records.drop(cookieValue)
    return rules.fresh()
  }

  /** Saves a session: see {@link SessionStorage.save}. */
  save = async (session: Session): Promise<string | null> => {
    if (isInert(session)) return null
    if (session.destroyed) return this.#destroy(session)
    let now = Date.now()
    if (!this.#rules.needsWrite(session, now)) return null
    let { originalId, createdAt } = sessionChanges(session)
    let lifetime = this.#rules.lifetime
    if (originalId !== session.id && createdAt !== undefined) {
      // A login: retire the old id first, atomically, so that of two requests logging in with the
      // same session only one carries it on, and a session deleted meanwhile is not carried on.
      if (session.deleteId !== undefined) {
        let until = this.#graceMs === 0 ? 0 : now + this.#graceMs
        let retired = await this.#records.retire(session.deleteId, until, now, lifetime)
        if (retired !== 'written') return retired === 'gone' ? '' : null
      } else {
        // A new id keeping the old one: refuse it when a login retired the old id meanwhile.
        let found = await this.#records.find(originalId)
        if (found.kind === 'retired' && now < found.until) return null
      }
    }
    let read = this.#reads.get(session)
    let stored = createdAt !== undefined && originalId === session.id
    let userChanged =
      !stored || (this.#userKey !== undefined && sessionChanges(session).values.has(this.#userKey))
    let dropped = session.deleteId ?? ''
    let outcome = await this.#records.write({
      session,
      id: session.id,
      now,
      lifetime,
      stored,
      read,
      userKey: this.#userKey,
      userChanged,
      dropped,
    })
    if (outcome === 'gone') return ''
    if (outcome === 'retired') return null
    let user = this.#userKey === undefined ? undefined : session.data[0][this.#userKey]
    // The session changed hands (or logged out of its user): the old user's index forgets it.
    if (read?.user !== undefined && read.user !== user) {
      await this.#records.unindex(read.user, originalId, now)
    }
    return session.id
  }

  /** Ends every session of one user: see {@link ServerSessionStorage.destroyUserSessions}. */
  destroyUserSessions = async (user: string): Promise<number> => {
    if (this.#userKey === undefined) {
      throw new TypeError(
        'destroyUserSessions() needs the userKey option, naming the session value that holds the user',
      )
    }
    return this.#records.destroyUser(user, Date.now())
  }

  /** Ends a destroyed session: deletes its records and forgets it in its user's index. */
  async #destroy(session: Session): Promise<string | null> {
    let { originalId, createdAt } = sessionChanges(session)
    // Never stored: nothing to delete.
    if (createdAt === undefined) return ''
    let user = this.#reads.get(session)?.user
    let outcome = await this.#records.forget(originalId, session.id, user, Date.now())
    // Logged out in a request that left before a login retired its id: the login stands.
    return outcome === 'retired' ? null : ''
  }

  #userOf(record: SessionRecord): string | undefined {
    let user = this.#userKey === undefined ? undefined : record.values[this.#userKey]
    return typeof user === 'string' ? user : undefined
  }
}
