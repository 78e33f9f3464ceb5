/**
 * The session storage failed (a disk, network or database error): an outage, to answer with
 * `503 Service Unavailable`, not a bug in the app. The storage's own error is the `cause`.
 * `commitSession` throws it when the save fails; errors that are the app's doing (a session too
 * large for its cookie, a value devalue cannot serialize) are thrown as they are instead. Wrap a
 * failed `storage.read` in it too, to answer both the same way.
 */
export class SessionStorageError extends Error {
  override name = 'SessionStorageError'

  /** @param cause The storage's error. */
  constructor(cause: unknown) {
    super('The session storage failed', { cause })
  }
}
