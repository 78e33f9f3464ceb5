export type {
  UnstorageSessionStorage,
  UnstorageSessionStorageOptions,
  UnstorageStorage,
} from './lib/session-storage/unstorage.ts'
export { createUnstorageSessionStorage } from './lib/session-storage/unstorage.ts'
