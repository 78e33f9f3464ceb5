import { DataStoreRecords } from '../data-store-records.ts'
import type { DenoKv, KvKey } from '../deno-kv/deno-kv.ts'
import { KvDataStore } from '../deno-kv/kv-data-store.ts'
import { RetryingRecords } from '../deno-kv/retrying-records.ts'
import {
  type ServerSessionStorage,
  ServerStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionSchema } from '../session-schema.ts'

/** Options for {@link createDenoKvSessionStorage}. */
export interface DenoKvSessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ServerStorageOptions<Schema> {
  /**
   * The key every entry is stored under, followed by the session id (or a user index id, which
   * contains a `.`). Default `['session']`. Give each storage sharing one KV its own prefix.
   *
   * @throws {TypeError} (from the factory) unless a non-empty array of strings and numbers.
   */
  prefix?: readonly (string | number)[]
  /**
   * How many times in all an operation (a save, a login, `destroyUserSessions`) runs when another
   * process keeps changing the same entry between its read and its write; past it the save
   * rejects (an outage to the app, a 503). Each pause between attempts is random, at most
   * `2 ** attempt` ms and never over 100 ms. An integer from 1 to 100; default `8`.
   *
   * @throws {TypeError} (from the factory) unless an integer from 1 to 100.
   */
  maxAttempts?: number
}

/**
 * Keeps sessions in Deno KV (`await Deno.openKv()`, a local file, or Deno Deploy's KV): shared by
 * every process using that KV. Each write is a compare-and-set on the entry's versionstamp
 * (`kv.atomic().check(...)`), run again from its read when another process wrote the entry first,
 * so concurrent saves that change different keys all persist, in one process or many. Entries are
 * written with `expireIn`, so KV deletes them once expired. The storage never touches the global
 * `Deno`: pass the KV in, and close it yourself.
 *
 * @example
 * const kv = await Deno.openKv()
 * const storage = createDenoKvSessionStorage(kv, { userKey: 'userId' })
 * @throws {TypeError} for an invalid `prefix` or `maxAttempts`, invalid expiry options, `retiredIdGrace` or
 * `maxSessionsPerUser`.
 */
export function createDenoKvSessionStorage<Schema extends SessionSchema = SessionSchema>(
  kv: DenoKv,
  options: DenoKvSessionStorageOptions<Schema> = {},
): ServerSessionStorage<Schema> {
  let attempts = options.maxAttempts ?? 8
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
    throw new TypeError(`maxAttempts must be an integer from 1 to 100, got ${attempts}`)
  }
  let prefix = checkedPrefix(options.prefix)
  let schema = options.schema !== undefined
  // A store per attempt of each operation: its writes are checked against its own reads only.
  let records = new RetryingRecords(
    () => new DataStoreRecords(new KvDataStore(kv, prefix), schema),
    attempts,
  )
  let storage = new ServerStorage(records, options as ServerStorageOptions)
  return storage as unknown as ServerSessionStorage<Schema>
}

function checkedPrefix(prefix: unknown = ['session']): KvKey {
  let valid =
    Array.isArray(prefix) &&
    prefix.length > 0 &&
    prefix.every((part) => typeof part === 'string' || typeof part === 'number')
  if (!valid) {
    throw new TypeError('prefix must be a non-empty array of strings and numbers, like ["session"]')
  }
  return [...(prefix as KvKey)]
}
