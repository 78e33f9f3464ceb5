import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createUnstorageSessionStorage } from '@x/session/unstorage-storage'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import redisDriver from 'unstorage/drivers/redis'
import { redisUrl } from './config.ts'
import type { StorageContender } from './storage-contender.ts'

/**
 * Our unstorage storage over three of unstorage's drivers: memory; the file system, in a new
 * temporary directory deleted at `close()`; Redis at `REDIS_URL`, under `bench:unstorage:`
 * (cleared at `close()`, and by the bench's `bench:` cleanup anyway).
 */
export const unstorageContenders: readonly StorageContender[] = [
  {
    name: 'ours unstorage (memory driver)',
    open() {
      let store = createStorage({ driver: memoryDriver() })
      return { storage: createUnstorageSessionStorage(store), close: () => store.dispose() }
    },
  },
  {
    name: 'ours unstorage (fs driver, temp dir)',
    open() {
      let directory = mkdtempSync(join(tmpdir(), 'bench-unstorage-'))
      let store = createStorage({ driver: fsDriver({ base: directory }) })
      return {
        storage: createUnstorageSessionStorage(store),
        async close() {
          await store.dispose()
          rmSync(directory, { recursive: true, force: true })
        },
      }
    },
  },
  {
    name: 'ours unstorage (redis driver)',
    open() {
      let store = createStorage({ driver: redisDriver({ url: redisUrl, base: 'bench:unstorage' }) })
      return {
        storage: createUnstorageSessionStorage(store),
        async close() {
          await store.clear()
          await store.dispose()
        },
      }
    },
  },
]
