/** A part of a Deno KV key; the storage only uses strings. */
export type KvKeyPart = string | number | bigint | boolean | Uint8Array

/** A Deno KV key. */
export type KvKey = readonly KvKeyPart[]

/** A check of an atomic operation: `versionstamp` `null` means "the key must not exist". */
export interface KvCheck {
  /** The key checked. */
  key: KvKey
  /** The versionstamp the key must still have, as a read returned it. */
  versionstamp: string | null
}

/** The part of `Deno.AtomicOperation` the storage uses. */
export interface KvAtomic {
  /** Makes the commit fail (`ok: false`) unless each key still has its versionstamp. */
  check(...checks: KvCheck[]): KvAtomic
  /** Writes `value` under `key`; `expireIn`: milliseconds after which KV may delete it. */
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomic
  /** Deletes `key` (no error when it is absent). */
  delete(key: KvKey): KvAtomic
  /** Applies the operation if every check holds; rejects for an I/O failure. */
  commit(): Promise<{ ok: boolean }>
}

/**
 * The part of a `Deno.Kv` (from `Deno.openKv()`) the storage uses, declared here so the package
 * type-checks without Deno's types. Any `Deno.Kv` fits.
 */
export interface DenoKv {
  /** The value under `key` and its versionstamp (`null` when there is none). */
  get(key: KvKey): Promise<{ value: unknown; versionstamp: string | null }>
  /** Starts an atomic operation. */
  atomic(): KvAtomic
}
