/**
 * A save refused, before anything was written, because of what the app put in the session: the
 * value named by the `userKey` option cannot name a user (an object, `NaN`, a number beyond
 * `Number.MAX_SAFE_INTEGER`...), or a storage cannot hold a key or user as given (PostgreSQL text
 * holds no NUL character and no lone surrogate). A mistake in the app, not an outage:
 * `commitSession` throws it as it is (answer `500`), never as a `SessionStorageError` (`503`). A
 * `TypeError`, so code catching those still catches it.
 */
export class SessionUserError extends TypeError {
  override name = 'SessionUserError'
}
