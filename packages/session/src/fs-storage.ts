export type { FsSessionStorage, FsSessionStorageOptions } from './lib/session-storage/fs.ts'
export { createFsSessionStorage } from './lib/session-storage/fs.ts'
