import { type Session, sessionChanges } from './session.ts'
import { isSessionId } from './session-id.ts'
import { expiresAt } from './session-lifetime.ts'
import { applyChanges, decodeRecord, encodeRecord } from './session-record.ts'
import type { InferData, KeySchemas } from './session-schema.ts'
import type { SessionStorage } from './session-storage.ts'
import { createStorageRules, deleteRetired, type SessionStorageOptions } from './storage-rules.ts'
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
   * each user's sessions (their last 100), so `destroyUserSessions(user)` can sign a user out
   * everywhere: after a password change, or from an admin page. Default: none.
   */
  userKey?: string
}

/** The storage type a schema gives: values and flash typed from their key schemas. */
export type TypedSessionStorage<Values, Flash> = SessionStorage<InferData<Values>, InferData<Flash>>

/** A server-side storage: also ends every session of one user. */
export type ServerSessionStorage<Values, Flash> = TypedSessionStorage<Values, Flash> & {
  /**
   * Deletes every session whose `userKey` value was `user` (as a string) when saved, and resolves
   * to how many ids the index held. Requests already holding one of them cannot save it back.
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
 * @throws {TypeError} for invalid expiry options.
 */
export function createSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(
  store: SessionDataStore,
  options: ServerStorageOptions<Values, Flash> = {},
): ServerSessionStorage<Values, Flash> {
  let rules = createStorageRules(options)
  let userKey = options.userKey
  let useUnknownIds = options.useUnknownIds ?? false
  // The stored text each session was read from: a save that finds it unchanged, with no object
  // lent and no schema, merges onto the session itself instead of parsing the text again.
  let readTexts = new WeakMap<Session, string>()
  let locks = new Map<string, Promise<unknown>>()
  let maxDate = 8.64e15

  async function withLock<Result>(id: string, task: () => Promise<Result>): Promise<Result> {
    let previous = locks.get(id) ?? Promise.resolve()
    let current = previous.then(task, task)
    let settled = current.catch(() => {})
    locks.set(id, settled)
    try {
      return await current
    } finally {
      if (locks.get(id) === settled) locks.delete(id)
    }
  }

  async function read(cookieValue: string | null): Promise<Session> {
    if (!isSessionId(cookieValue)) return rules.fresh()
    let text = await store.readData(cookieValue)
    if (text === null) return rules.fresh(useUnknownIds ? cookieValue : undefined)
    let record = decodeRecord(text)
    let session = record && (await rules.restore(cookieValue, record))
    if (session) {
      readTexts.set(session, text)
      return session
    }
    // Corrupt, expired, or refused by the schema: start afresh, and free an expired record.
    if (record !== null) await store.deleteData(cookieValue)
    return rules.fresh()
  }

  async function save(session: Session): Promise<string | null> {
    let changes = sessionChanges(session)
    // Deletes take the lock too, so a save already under way cannot write the record back after.
    let remove = (id: string) => withLock(id, () => store.deleteData(id))
    if (await deleteRetired(session, remove)) return ''
    let now = Date.now()
    if (!rules.needsWrite(session, now)) return null
    let stored = changes.createdAt !== undefined && changes.originalId === session.id
    let saved = await withLock(session.id, async () => {
      let base = stored ? await store.readData(session.id) : null
      // The record vanished since it was read (a logout elsewhere, or expiry): do not revive it.
      if (stored && base === null) return null
      // Unchanged since this request read it, and the session in memory is exactly that text plus
      // its changes (no object lent to be changed in place, no schema that dropped or transformed
      // values): no need to parse it again. Otherwise merge onto what is stored now.
      let unchanged =
        base !== null &&
        base === readTexts.get(session) &&
        !changes.lent &&
        options.schema === undefined
      let record = applyChanges(
        base === null || unchanged ? null : decodeRecord(base),
        session,
        now,
      )
      let expires = new Date(Math.min(expiresAt(record, rules.lifetime), maxDate))
      let data = encodeRecord(record)
      if (base === null) await store.createData(session.id, data, expires)
      else await store.updateData(session.id, data, expires)
      let user = userKey === undefined ? undefined : record.values[userKey]
      let indexed =
        typeof user === 'string' && (base === null || changes.values.has(userKey as string))
      return { user: indexed ? (user as string) : undefined, expires }
    })
    if (saved === null) return ''
    // Indexed after the session lock is released: destroyUserSessions takes the index lock first.
    if (saved.user !== undefined) await users.add(saved.user, session.id, saved.expires)
    return session.id
  }

  let users = new UserIndex(store, withLock)

  async function destroyUserSessions(user: string): Promise<number> {
    if (userKey === undefined) {
      throw new TypeError(
        'destroyUserSessions() needs the userKey option, naming the session value that holds the user',
      )
    }
    return users.destroyAll(user)
  }

  return { read, save, destroyUserSessions } as unknown as ServerSessionStorage<Values, Flash>
}
