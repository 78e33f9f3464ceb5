export type { MemorySessionStorageOptions } from './lib/session-storage/memory.ts'
export { createMemorySessionStorage } from './lib/session-storage/memory.ts'
