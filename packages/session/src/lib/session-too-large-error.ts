import * as devalue from 'devalue'
import { type Data, type Session, sessionChanges } from './session.ts'

/** A key the request changed, and the size of its new value. */
export interface ChangedKey {
  /** The key; a flash value set in this request is `flash:<key>`. */
  key: string
  /** Its value serialized (devalue, UTF-8), in bytes; `0` for a key removed. */
  size: number
}

const encoder = new TextEncoder()

/**
 * Thrown when a session no longer fits in its cookie: a programming error (the app stores too
 * much in a cookie session), never a storage outage. The message names the limit, the size, and
 * the keys this request changed with their sizes, largest first, so the key that grew is found
 * at a glance. Nothing was sent: the response is not answered with a cookie browsers would drop.
 */
export class SessionTooLargeError extends RangeError {
  override name = 'SessionTooLargeError'
  /** How large the session's cookie would be (at least), in bytes. */
  readonly size: number
  /** The largest size allowed, in bytes (`maxCookieSize`, 4096). */
  readonly limit: number
  /** The keys this request set, unset or flashed, with their sizes, largest first. */
  readonly changedKeys: readonly ChangedKey[]

  /**
   * @param session The session that did not fit; only its changes are read.
   * @param size Its size in bytes.
   * @param limit The limit it went over, in bytes.
   */
  constructor(session: Session<Data, Data>, size: number, limit: number, options?: ErrorOptions) {
    let changedKeys = changedKeySizes(session)
    let listed =
      changedKeys.length === 0
        ? 'This request changed no key: the session was already this large'
        : `Keys this request changed: ${changedKeys.map(({ key, size }) => `${key} (${size} bytes)`).join(', ')}`
    super(
      `The session needs ${size} bytes, over the ${limit} bytes a browser keeps in a cookie. ${listed}. Store less in the session, or use a server-side session storage (memory, file, Redis) that keeps only an id in the cookie`,
      options,
    )
    this.size = size
    this.limit = limit
    this.changedKeys = changedKeys
  }
}

function changedKeySizes(session: Session<Data, Data>): ChangedKey[] {
  let changes = sessionChanges(session)
  let [values] = session.data
  let keys: ChangedKey[] = []
  for (let key of changes.values.keys()) {
    keys.push({ key, size: Object.hasOwn(values, key) ? sizeOf(values[key]) : 0 })
  }
  for (let [key, value] of changes.newFlash) keys.push({ key: `flash:${key}`, size: sizeOf(value) })
  return keys.sort((a, b) => b.size - a.size)
}

function sizeOf(value: unknown): number {
  try {
    // Less the brackets of the array devalue writes around every value.
    return encoder.encode(devalue.stringify(value)).length - 2
  } catch {
    return Number.NaN
  }
}
