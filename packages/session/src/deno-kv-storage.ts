export type { DenoKv, KvAtomic, KvCheck, KvKey, KvKeyPart } from './lib/deno-kv/deno-kv.ts'
export type { DenoKvSessionStorageOptions } from './lib/session-storage/deno-kv.ts'
export { createDenoKvSessionStorage } from './lib/session-storage/deno-kv.ts'
