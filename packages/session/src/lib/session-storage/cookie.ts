import { maxCookieSize } from '../cookie.ts'
import { saveBase } from '../save-base.ts'
import type { TypedSessionStorage } from '../server-storage.ts'
import { type Session, sessionChanges } from '../session.ts'
import { isSessionId } from '../session-id.ts'
import { applyChanges, decodeRecord, encodeRecord } from '../session-record.ts'
import type { KeySchemas } from '../session-schema.ts'
import { SessionTooLargeError } from '../session-too-large-error.ts'
import { createStorageRules, type SessionStorageOptions } from '../storage-rules.ts'

const encoder = new TextEncoder()

/** Options for {@link createCookieSessionStorage}. */
export interface CookieSessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends SessionStorageOptions<Values, Flash> {}

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
export function createCookieSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(options: CookieSessionStorageOptions<Values, Flash> = {}): TypedSessionStorage<Values, Flash> {
  let rules = createStorageRules(options)
  // The payload each session was read from: saves start again from it, so objects changed through
  // get() without set() are not written.
  let payloads = new WeakMap<Session, string>()
  let warnedDeleteOld = false

  async function read(cookieValue: string | null): Promise<Session> {
    let parsed = cookieValue ? parsePayload(cookieValue) : null
    let record = parsed && decodeRecord(parsed.record)
    let session = parsed && record && rules.restore(parsed.id, record)
    if (session instanceof Promise) session = await session
    if (!parsed || !session) return rules.fresh()
    payloads.set(session, parsed.record)
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
    // The cookie is the store: what is stored now is the payload the session was read from, under
    // its id (a new id starts a new cookie).
    let payload = payloads.get(session)
    let current = sessionChanges(session).originalId === session.id ? (payload ?? null) : null
    let base = saveBase(session, current, payload, options.schema !== undefined).record
    let value = session.id + encodeRecord(applyChanges(base, session, now))
    // UTF-8 bytes, counted only when the characters alone come close.
    let size = value.length * 3 <= maxCookieSize ? value.length : encoder.encode(value).length
    if (size > maxCookieSize) throw new SessionTooLargeError(session, size, maxCookieSize)
    return value
  }

  return { read, save } as unknown as TypedSessionStorage<Values, Flash>
}

/** The cookie value is the session id (32 characters) followed by the encoded record. */
function parsePayload(value: string): { id: string; record: string } | null {
  let id = value.slice(0, 32)
  return isSessionId(id) ? { id, record: value.slice(32) } : null
}
