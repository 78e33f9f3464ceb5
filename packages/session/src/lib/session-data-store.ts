/**
 * Where a server-side storage keeps session records: four functions over ids and serialized
 * records. The storage `createSessionStorage` builds on it handles ids, expiry, schemas, merging
 * and locking.
 */
export interface SessionDataStore {
  /** The record stored under `id`, or `null` when there is none. */
  readData(id: string): Promise<string | null>
  /** Stores a record under a new `id`; `expires` is when it may be discarded. */
  createData(id: string, data: string, expires: Date): Promise<void>
  /** Replaces the record under `id`; `expires` is when it may be discarded. */
  updateData(id: string, data: string, expires: Date): Promise<void>
  /** Deletes the record under `id`; no error when there is none. */
  deleteData(id: string): Promise<void>
}
