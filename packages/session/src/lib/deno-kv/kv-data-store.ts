import type { SessionDataStore } from '../session-data-store.ts'
import type { DenoKv, KvKey } from './deno-kv.ts'
import { KvConflictError } from './kv-conflict.ts'

// The latest Date a store can hold: a record that never expires is written without `expireIn`.
const maxDate = 8.64e15
// Versionstamps remembered at once: a read never followed by a write is forgotten past this.
const maxTracked = 10_000

/**
 * A {@link SessionDataStore} over Deno KV whose writes are compare-and-set: `createData` commits
 * only while the key is absent, `updateData` only while the key still has the versionstamp the
 * first unconsumed `readData` of it saw; otherwise they throw {@link KvConflictError} (the caller
 * runs the operation again from its read). So a read-merge-write of one process never overwrites
 * what another process wrote between its read and its write. Writes set `expireIn` from `expires`.
 */
export class KvDataStore implements SessionDataStore {
  #kv: DenoKv
  #prefix: KvKey
  /** Id to the versionstamp its oldest read not yet followed by a write saw (`null`: absent). */
  #seen = new Map<string, string | null>()

  /** `prefix`: the key every id is stored under (`[...prefix, id]`). */
  constructor(kv: DenoKv, prefix: KvKey) {
    this.#kv = kv
    this.#prefix = prefix
  }

  async readData(id: string): Promise<string | null> {
    let entry = await this.#kv.get(this.#key(id))
    // The oldest stamp is kept: checking against it may fail needlessly (then the caller retries),
    // never pass over a write this read did not see.
    if (!this.#seen.has(id)) {
      this.#seen.set(id, entry.versionstamp)
      if (this.#seen.size > maxTracked) this.#seen.delete(this.#seen.keys().next().value as string)
    }
    if (entry.versionstamp === null) return null
    // Something this storage never wrote: the core reads it as corrupt and deletes it.
    return typeof entry.value === 'string' ? entry.value : ''
  }

  createData(id: string, data: string, expires: Date): Promise<void> {
    return this.#commit(id, null, data, expires)
  }

  updateData(id: string, data: string, expires: Date): Promise<void> {
    let stamp = this.#seen.get(id)
    // No stamp (forgotten past maxTracked): refuse, the caller reads again.
    if (stamp === undefined) return Promise.reject(new KvConflictError(id))
    return this.#commit(id, stamp, data, expires)
  }

  async deleteData(id: string): Promise<void> {
    this.#seen.delete(id)
    await this.#kv.delete(this.#key(id)).catch((error: unknown) => busy(error, id))
  }

  async #commit(id: string, stamp: string | null, data: string, expires: Date): Promise<void> {
    this.#seen.delete(id)
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
 * write of another handle or process: the operation then runs again from a fresh read.
 */
function busy(error: unknown, id: string): never {
  if (error instanceof Error && /database is locked/i.test(error.message)) {
    throw new KvConflictError(id)
  }
  throw error
}
