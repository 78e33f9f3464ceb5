import { cachedValuesPerCookie, cachedWrittenValuesPerCookie, maxCookieSize } from '../cookie.ts'
import { edgeHash } from '../edge-hash.ts'
import { keepRecord } from '../record-copy.ts'
import { patchRecordText } from '../record-text.ts'
import type { TypedSessionStorage } from '../server-storage.ts'
import { keepWithSession, keptWithSession, type Session, sessionChanges } from '../session.ts'
import { isSessionId } from '../session-id.ts'
import {
  applyChanges,
  decodeRecord,
  encodeRecordText,
  type RecordText,
  type SessionRecord,
} from '../session-record.ts'
import type { SessionSchema } from '../session-schema.ts'
import { SessionTooLargeError } from '../session-too-large-error.ts'
import { createStorageRules, type SessionStorageOptions } from '../storage-rules.ts'
import { TextCache } from '../text-cache.ts'

const encoder = new TextEncoder()

/**
 * The cookie values a storage keeps parsed: a browser sends the value it was given back on each
 * request until the next save, and parsing it again would cost more than the rest of the read. At
 * most as many as a cookie's own caches, for the same reason (its young-generation pauses): of the
 * values read, {@link cachedValuesPerCookie} and 512 Ki characters in all; of the values saved,
 * kept apart so that saves do not push out values clients send again, at most
 * {@link cachedWrittenValuesPerCookie} and 128 Ki characters.
 *
 * Keyed by a hash of a value's length, first 8 characters (of its random id) and last 24 (the end
 * of its text; in JSON form, the last-use time it ends with: see `edgeHash`), not by the value.
 * Measured with the bench's profile of the cookie row (`profile.ts`: 8 s under the HTTP section's
 * load), interleaved runs before and after: with the value as key, `BoundedCache`'s `get` and
 * `set` took 5.0-5.6% of the server's busy time on Node 26 and its `peek` 1.6-2.1% on Node 24;
 * with a key of this kind none of them is among the 15 costliest functions (each under 1.1%).
 * Values with equal keys (of one session, of the same length, differing only before their last 24
 * characters: parallel saves in the same millisecond, or in devalue form, whose end need not hold
 * the times, saves at other times) replace each other: the other one is parsed again when it comes
 * back, as any value not cached.
 */
const parsedValues = {
  maxEntries: cachedValuesPerCookie,
  maxWrittenEntries: cachedWrittenValuesPerCookie,
  maxWeight: 512 * 1024,
  maxWrittenWeight: 128 * 1024,
  keyOf: (value: string) => edgeHash(value, 24, 8),
  // A layout holds two numbers an entry: about as much memory as 8 characters.
  weigh: (value: string, kept: KeptValue) =>
    value.length + 4 * (kept.written?.layout?.bounds.length ?? 0),
}

/**
 * A cookie value's record, kept (see `keepRecord`), and its text as this storage wrote it, so the
 * next save can rewrite the entries that changed (see `patchRecordText`); `undefined` for a value
 * this process did not write (read after a restart, or written by another process).
 */
interface KeptValue {
  record: SessionRecord
  written: RecordText | undefined
}

/** Options for {@link createCookieSessionStorage}. */
export interface CookieSessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends SessionStorageOptions<Schema> {}

/**
 * Keeps the whole session in the cookie: no server state, so it scales without shared storage.
 * Pair it with a signed cookie (the client can read the data but not change it) or an
 * `encrypted: true` cookie (the client can do neither). The creation and last-use times travel
 * inside the protected value, so an old cookie replayed after it expired is refused. A destroyed
 * session clears the cookie, but a copy of an earlier cookie stays valid until it expires: use a
 * server storage when logout must end every copy at once. For the same reason `regenerateId(true)`
 * cannot invalidate the old cookie: the first save that asks for it logs a warning (once per
 * storage) and the session is saved under its new id.
 *
 * @throws {TypeError} for invalid expiry options.
 */
export function createCookieSessionStorage<Schema extends SessionSchema = SessionSchema>(
  options: CookieSessionStorageOptions<Schema> = {},
): TypedSessionStorage<Schema> {
  let rules = createStorageRules(options)
  // Kept with each session this storage read (keepWithSession, under this token): the record it
  // was read from (see keepRecord: never changed nor handed out). Saves apply the session's
  // changes to it, so objects changed through get() without set() are not written, and what the
  // schema dropped stays.
  let bases = {}
  // Cookie values this storage wrote or read, with their records kept: the value sent back is
  // copied, not parsed. Filled only with values that parsed (a cookie is verified before it gets
  // here), bounded.
  let parsed = new TextCache<KeptValue>(parsedValues)
  let warnedDeleteOld = false

  async function read(cookieValue: string | null): Promise<Session> {
    let id = cookieValue?.slice(0, 32)
    if (!cookieValue || !isSessionId(id)) return rules.fresh()
    let kept = parsed.get(cookieValue)
    if (kept === undefined) {
      let record = decodeRecord(cookieValue.slice(32))
      if (record === null) return rules.fresh()
      kept = { record: keptParsed(record), written: undefined }
      parsed.set(cookieValue, kept)
    }
    let session = rules.restoreKept(id, kept.record, Date.now())
    if (session instanceof Promise) session = await session
    if (!session) return rules.fresh()
    keepWithSession(session, bases, kept)
    return session
  }

  async function save(session: Session): Promise<string | null> {
    if (session.destroyed) return ''
    if (session.deleteId !== undefined && !warnedDeleteOld) {
      warnedDeleteOld = true
      console.warn(
        'createCookieSessionStorage(): regenerateId(true) cannot invalidate the old cookie: a copy of it stays valid until it expires (idle or absolute timeout). Use a server-side session storage (memory, file, Redis) when the old session must end at once',
      )
    }
    let now = Date.now()
    if (!rules.needsWrite(session, now)) return null
    // The cookie is the store: what is stored now is the record the session was read from, under
    // its id (a new id starts a new cookie). Merging onto it gives what the session holds when
    // nothing was changed in place (saveBase's rule), without parsing anything.
    let changes = sessionChanges(session)
    let kept =
      changes.originalId === session.id
        ? (keptWithSession(session, bases) as KeptValue | undefined)
        : undefined
    let base = kept?.record
    let record = applyChanges(base ?? null, session, now)
    let flashChanged = changes.newFlash.size > 0 || changes.readFlash.size > 0
    let written =
      kept?.written === undefined || base === undefined || flashChanged
        ? undefined
        : patchRecordText(kept.written, base, record, changes.values.keys())
    written ??= encodeRecordText(record)
    let value = session.id + written.text
    // UTF-8 bytes, counted only when the characters alone come close.
    let size = value.length * 3 <= maxCookieSize ? value.length : encoder.encode(value).length
    if (size > maxCookieSize) throw new SessionTooLargeError(session, size, maxCookieSize)
    // The record was made for this save (by applyChanges): kept, its values copied.
    parsed.setWritten(value, { record: keepRecord(record, base, true), written })
    return value
  }

  return { read, save } as unknown as TypedSessionStorage<Schema>
}

/**
 * The record to keep for one just parsed (shared with nothing): put through `keepRecord`, which
 * tells whether its values can be lent one by one, or as it is, copied whole at each read, when
 * `keepRecord` refuses it (a value nested deeper than this version writes, say).
 */
function keptParsed(record: SessionRecord): SessionRecord {
  try {
    return keepRecord(record, undefined)
  } catch {
    return record
  }
}
