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
import { createCluster } from 'redis'
import type { ClusterSeed } from './cluster-seeds.ts'
import { redisUrl } from './config.ts'
import { connectIoredisCluster } from './ioredis-cluster.ts'
import { postgresContenders } from './postgres-contenders.ts'
import type { OpenStorage, StorageContender } from './storage-contender.ts'
import type { AnyStorage } from './typical-session.ts'
import { unstorageContenders } from './unstorage-contenders.ts'

/** Baseline of the storage table. */
export const storageBaseline = 'ours memory'

/** A storage that holds nothing to release. */
function inProcess(create: () => AnyStorage): () => OpenStorage {
  return () => ({ storage: create(), close: async () => {} })
}

/** A file storage in a new temporary directory, deleted by `close()`. */
function inTemporaryDirectory(create: (directory: string) => AnyStorage): () => OpenStorage {
  return () => {
    let directory = mkdtempSync(join(tmpdir(), 'bench-sessions-'))
    return {
      storage: create(directory),
      close: async () => rmSync(directory, { recursive: true, force: true }),
    }
  }
}

/** A node-redis `createCluster` as the session README configures one, connected. */
async function connectNodeRedisCluster(seeds: ClusterSeed[]) {
  let client = createCluster({
    rootNodes: seeds.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    defaults: { disableOfflineQueue: true },
  })
  client.on('error', (error) => console.error('node-redis cluster:', error))
  return client.connect()
}

/**
 * Our storages (Redis at `REDIS_URL`, and on the bench's Redis Cluster through both clients the
 * storage accepts; PostgreSQL through both its clients; unstorage over three drivers), then
 * Remix's three (it has no server storage but memory and file) for reference.
 */
export const storageContenders: readonly StorageContender[] = [
  { name: storageBaseline, open: inProcess(() => createMemorySessionStorage()) },
  { name: 'ours cookie', open: inProcess(() => createCookieSessionStorage()) },
  { name: 'ours file (temp dir)', open: inTemporaryDirectory(createFsSessionStorage) },
  {
    name: 'ours Redis',
    open() {
      let storage = createRedisSessionStorage({ url: redisUrl, keyPrefix: 'bench:micro:' })
      return { storage, close: () => storage.close() }
    },
  },
  {
    name: 'ours Redis Cluster (ioredis)',
    async open({ clusterSeeds }) {
      let client = await connectIoredisCluster(clusterSeeds)
      let storage = createRedisSessionStorage(client, { keyPrefix: 'bench:micro:' })
      return { storage, close: async () => client.disconnect() }
    },
  },
  {
    name: 'ours Redis Cluster (node-redis)',
    async open({ clusterSeeds }) {
      let client = await connectNodeRedisCluster(clusterSeeds)
      let storage = createRedisSessionStorage(client, { keyPrefix: 'bench:micro:' })
      return { storage, close: () => client.close() }
    },
  },
  ...postgresContenders,
  ...unstorageContenders,
  { name: 'remix memory', open: inProcess(() => createRemixMemoryStorage()) },
  { name: 'remix cookie', open: inProcess(() => createRemixCookieStorage()) },
  { name: 'remix file (temp dir)', open: inTemporaryDirectory(createRemixFsStorage) },
]
