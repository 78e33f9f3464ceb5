/**
 * An atomic write to Deno KV found its key changed since it was read (another process wrote it):
 * the operation is run again from its read, at most a few times.
 */
export class KvConflictError extends Error {
  override name = 'KvConflictError'

  /** @param key The session id (or user index id) whose check failed. */
  constructor(key: string) {
    super(`The Deno KV entry "${key}" changed while it was being saved`)
  }
}
