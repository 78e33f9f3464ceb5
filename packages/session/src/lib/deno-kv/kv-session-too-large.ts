import type { Data, Session } from '../session.ts'
import { SessionTooLargeError } from '../session-too-large-error.ts'
import type { KvValueTooLargeError } from './kv-value-too-large.ts'

/**
 * A save whose session record, or its user's index, is over the 64 KiB Deno KV holds per value:
 * a programming error (a `500` through `commitSession`, never a `503`). The message names the
 * limit, the size, and what to change.
 */
export class KvSessionTooLargeError extends SessionTooLargeError {
  /**
   * @param session The session whose save did not fit; only its changes are read.
   * @param cause What the store measured.
   */
  constructor(session: Session<Data, Data>, cause: KvValueTooLargeError) {
    super(session, cause.size, cause.limit, { cause })
    let keys = this.changedKeys.map(({ key, size }) => `${key} (${size} bytes)`).join(', ')
    this.message = cause.id.includes('.')
      ? `The user index of this session's user needs ${cause.size} bytes, over the ${cause.limit} bytes a Deno KV value holds: the user has too many sessions. Lower maxSessionsPerUser (each session takes about 60 bytes of the index)`
      : `The session needs ${cause.size} bytes, over the ${cause.limit} bytes a Deno KV value holds. ${keys === '' ? 'This request changed no key' : `Keys this request changed: ${keys}`}. Store less in the session`
  }
}
