import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCookieSessionStorage as createRemixCookieStorage } from '@remix-run/session/cookie-storage'
import { createFsSessionStorage as createRemixFsStorage } from '@remix-run/session/fs-storage'
import { createMemorySessionStorage as createRemixMemoryStorage } from '@remix-run/session/memory-storage'
import { createCookieSessionStorage } from '@x/session/cookie-storage'
import { createFsSessionStorage } from '@x/session/fs-storage'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { createRedisSessionStorage } from '@x/session/redis-storage'
import { redisUrl } from './config.ts'
import type { AnyStorage } from './typical-session.ts'

/** A storage under test and how to release what it holds (a connection, a temp directory). */
export interface OpenStorage {
  storage: AnyStorage
  close(): Promise<void>
}

/** A named way to open a storage for the micro-benchmarks. */
export interface StorageContender {
  name: string
  open(): OpenStorage
}

function temporaryDirectory(): { path: string; remove: () => Promise<void> } {
  let path = mkdtempSync(join(tmpdir(), 'bench-sessions-'))
  return { path, remove: async () => rmSync(path, { recursive: true, force: true }) }
}

/** Baseline of the storage table. */
export const storageBaseline = 'ours memory'

/** Our four storages, then Remix's three (it has no Redis storage) for reference. */
export const storageContenders: readonly StorageContender[] = [
  {
    name: storageBaseline,
    open: () => ({ storage: createMemorySessionStorage(), close: async () => {} }),
  },
  {
    name: 'ours cookie',
    open: () => ({ storage: createCookieSessionStorage(), close: async () => {} }),
  },
  {
    name: 'ours file (temp dir)',
    open() {
      let directory = temporaryDirectory()
      return { storage: createFsSessionStorage(directory.path), close: directory.remove }
    },
  },
  {
    name: 'ours Redis',
    open() {
      let storage = createRedisSessionStorage({ url: redisUrl, keyPrefix: 'bench:micro:' })
      return { storage, close: () => storage.close() }
    },
  },
  {
    name: 'remix memory',
    open: () => ({ storage: createRemixMemoryStorage(), close: async () => {} }),
  },
  {
    name: 'remix cookie',
    open: () => ({ storage: createRemixCookieStorage(), close: async () => {} }),
  },
  {
    name: 'remix file (temp dir)',
    open() {
      let directory = temporaryDirectory()
      return { storage: createRemixFsStorage(directory.path), close: directory.remove }
    },
  },
]
