import type { SessionDataStore } from '../session-data-store.ts'
import type { DenoKv, KvKey } from './deno-kv.ts'
import { KvConflictError } from './kv-conflict.ts'
import { KvValueTooLargeError, maxKvValueBytes } from './kv-value-too-large.ts'

// The latest Date a store can hold: a record that never expires is written without `expireIn`.
const maxDate = 8.64e15
// Bytes Deno's serialization adds to a string (tags, length); UTF-8 never counts a string's
// characters as fewer bytes than V8's Latin-1 or UTF-16 form, so the measure never undershoots.
const overheadBytes = 16
const encoder = new TextEncoder()

/**
 * A {@link SessionDataStore} over Deno KV for ONE operation (a save, a logout, ...): it remembers
 * the versionstamp each of its own reads saw, and its writes and deletes are compare-and-set
 * against it: `createData` commits only while the key is absent, `updateData` and `deleteData`
 * only while the key still has the versionstamp this view's first read of it (since its last
 * write) saw; otherwise they throw {@link KvConflictError} (the caller runs the operation again
 * from its reads, with a new view). No stamp is shared between operations, so a write is never
 * checked against a stamp another operation read. Writes set `expireIn` from `expires`.
 *
 * @throws {KvValueTooLargeError} from a write whose value is over 64 KiB (nothing is written).
 */
export class KvDataStore implements SessionDataStore {
  #kv: DenoKv
  #prefix: KvKey
  /** Id to the versionstamp this view's first read since its last write saw (`null`: absent). */
  #stamps = new Map<string, string | null>()

  /** `prefix`: the key every id is stored under (`[...prefix, id]`). */
  constructor(kv: DenoKv, prefix: KvKey) {
    this.#kv = kv
    this.#prefix = prefix
  }

  async readData(id: string): Promise<string | null> {
    let entry = await this.#kv.get(this.#key(id)).catch((error: unknown) => busy(error, id))
    // The oldest stamp is kept: checking against it may fail needlessly (then the caller retries),
    // never pass over a write this operation did not see.
    if (!this.#stamps.has(id)) this.#stamps.set(id, entry.versionstamp)
    if (entry.versionstamp === null) return null
    // Something this storage never wrote: the core reads it as corrupt and deletes it.
    return typeof entry.value === 'string' ? entry.value : ''
  }

  createData(id: string, data: string, expires: Date): Promise<void> {
    return this.#commit(id, null, data, expires)
  }

  updateData(id: string, data: string, expires: Date): Promise<void> {
    let stamp = this.#stamps.get(id)
    // Never read by this operation: refuse, the operation runs again from its reads.
    if (stamp === undefined) return Promise.reject(new KvConflictError(id))
    return this.#commit(id, stamp, data, expires)
  }

  /**
   * Deletes `id` while it still has the versionstamp this operation read; an id this operation
   * never read (the old id after a login, a record a read found expired) is deleted as it is.
   */
  async deleteData(id: string): Promise<void> {
    let stamp = this.#stamps.get(id)
    this.#stamps.delete(id)
    let key = this.#key(id)
    let atomic = this.#kv.atomic()
    if (stamp !== undefined) atomic.check({ key, versionstamp: stamp })
    let result = await atomic
      .delete(key)
      .commit()
      .catch((error: unknown) => busy(error, id))
    if (!result.ok) throw new KvConflictError(id)
  }

  async #commit(id: string, stamp: string | null, data: string, expires: Date): Promise<void> {
    let size = encoder.encode(data).length + overheadBytes
    if (size > maxKvValueBytes) throw new KvValueTooLargeError(id, size)
    this.#stamps.delete(id)
    let key = this.#key(id)
    let until = expires.getTime()
    let options = until >= maxDate ? {} : { expireIn: Math.max(1, until - Date.now()) }
    let result = await this.#kv
      .atomic()
      .check({ key, versionstamp: stamp })
      .set(key, data, options)
      .commit()
      .catch((error: unknown) => busy(error, id))
    if (!result.ok) throw new KvConflictError(id)
  }

  #key(id: string): KvKey {
    return [...this.#prefix, id]
  }
}

/**
 * Rethrows `error`, as a {@link KvConflictError} when it is a local KV file (SQLite) busy with a
 * write of another handle or process: the operation then runs again from fresh reads.
 */
function busy(error: unknown, id: string): never {
  if (error instanceof Error && /database is locked/i.test(error.message)) {
    throw new KvConflictError(id)
  }
  throw error
}
