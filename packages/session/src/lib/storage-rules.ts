import { copyRecord, lendingCopier, lendsValues } from './record-copy.ts'
import { markInert } from './retired-ids.ts'
import {
  copyOnRead,
  createSession,
  type Session,
  type SessionChanges,
  sessionChanges,
  setSessionTimes,
} from './session.ts'
import {
  type ExpiryOptions,
  isExpired,
  type Lifetime,
  needsRenewal,
  renewalAt,
  resolveLifetime,
} from './session-lifetime.ts'
import { type InvalidDataPolicy, type SessionRecord, validRecord } from './session-record.ts'
import type { OnlySchemaKeys, SessionSchema } from './session-schema.ts'

/** Options shared by every storage. */
export interface SessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ExpiryOptions {
  /**
   * Schemas for what the session holds (see {@link SessionSchema}): `get`/`set` are typed from
   * them, `set` refuses a bad value, and stored data that fails is handled by `invalidData`. Keys
   * other than `values` and `flash` (a misspelling) do not compile. Default: none (any keys, values
   * `unknown`).
   */
  schema?: Schema & NoInfer<OnlySchemaKeys<Schema>>
  /**
   * What to do with stored data that fails the schema when it is read: `'drop'` (default) leaves
   * out the failing keys; `'reset'` starts a fresh session. Either way the request goes on.
   */
  invalidData?: InvalidDataPolicy
}

/** What every storage does the same way: fresh sessions, restoring, expiry, when to write. */
export interface StorageRules {
  lifetime: Lifetime
  /** A new, empty session: with `id` when adopting one, else with a new id. */
  fresh(id?: string): Session
  /**
   * A new, empty session with a new id, for a request that came with an id retired by
   * `regenerateId(true)` moments ago: its save writes nothing and resolves to `null`, so the
   * response leaves the browser's (new) cookie alone.
   */
  retired(): Session
  /**
   * The session for a stored record; `null` when it expired at `now` (ms since the epoch) or
   * failed the schema under `'reset'`. Synchronous without a schema (schemas may validate
   * asynchronously).
   */
  restore(id: string, record: SessionRecord, now: number): Session | null | Promise<Session | null>
  /**
   * {@link StorageRules.restore} for a record a storage keeps in memory (never to change nor hand
   * out): its values are lent, each copied on its first read (see `copyOnRead`), or, with a schema
   * (a transform may change what it is given) or when only devalue copies them, the record is
   * copied whole first.
   */
  restoreKept(
    id: string,
    kept: SessionRecord,
    now: number,
  ): Session | null | Promise<Session | null>
  /**
   * Whether `save` must write: the session changed, or its idle timeout is due for renewal.
   * `changes`: the session's, when the caller has them already.
   */
  needsWrite(session: Session, now: number, changes?: SessionChanges): boolean
}

/**
 * The rules for storage options, checked once.
 *
 * @throws {TypeError} for invalid expiry options.
 */
export function createStorageRules(options: SessionStorageOptions): StorageRules {
  let lifetime = resolveLifetime(options)
  let schema = options.schema as SessionSchema | undefined
  let policy = options.invalidData ?? 'drop'
  let fresh = (id?: string) => createSession(id, undefined, { schema })
  let restored = (id: string, record: SessionRecord) => {
    let session = createSession(id, [record.values, record.flash], { schema })
    setSessionTimes(
      session,
      record.createdAt,
      record.touchedAt,
      renewalAt(record.touchedAt, lifetime),
    )
    return session
  }
  return {
    lifetime,
    fresh,
    retired: () => markInert(fresh()),
    restore(id, record, now) {
      if (isExpired(record, lifetime, now)) return null
      if (schema === undefined) return restored(id, record)
      return validRecord(record, schema, policy).then((valid) => valid && restored(id, valid))
    },
    restoreKept(id, kept, now) {
      if (schema !== undefined || !lendsValues(kept)) return this.restore(id, copyRecord(kept), now)
      let session = this.restore(id, kept, now) as Session | null
      if (session) copyOnRead(session, lendingCopier)
      return session
    },
    needsWrite(session, now, changes = sessionChanges(session)) {
      return session.dirty || needsRenewal(changes.touchedAt, lifetime, now)
    },
  }
}

/**
 * Checks a storage's `maxSessions` option, the most sessions it keeps (memory and file storage).
 *
 * @throws {TypeError} unless a positive integer.
 */
export function resolveMaxSessions(value: number | undefined, fallback: number): number {
  let maxSessions = value ?? fallback
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new TypeError(`maxSessions must be a positive integer, got ${maxSessions}`)
  }
  return maxSessions
}
