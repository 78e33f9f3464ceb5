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
import { Cluster } from 'ioredis'
import { createCluster } from 'redis'
import { redisUrl } from './config.ts'
import type { ClusterSeed } from './redis-cluster.ts'
import type { AnyStorage } from './typical-session.ts'

/** A storage under test and how to release what it holds (a connection, a temp directory). */
export interface OpenStorage {
  storage: AnyStorage
  close(): Promise<void>
}

/** What the storages under test may use besides Redis at `REDIS_URL`. */
export interface StorageResources {
  /** Seed addresses of the bench's own Redis Cluster (`startBenchCluster()`). */
  clusterSeeds: ClusterSeed[]
}

/** A named way to open a storage for the micro-benchmarks. */
export interface StorageContender {
  name: string
  open(resources: StorageResources): OpenStorage | Promise<OpenStorage>
}

function temporaryDirectory(): { path: string; remove: () => Promise<void> } {
  let path = mkdtempSync(join(tmpdir(), 'bench-sessions-'))
  return { path, remove: async () => rmSync(path, { recursive: true, force: true }) }
}

/** Baseline of the storage table. */
export const storageBaseline = 'ours memory'

/**
 * An ioredis `Cluster` as the session README configures one (fail fast, no offline queue),
 * connected.
 */
async function connectIoredisCluster(seeds: ClusterSeed[]): Promise<Cluster> {
  let client = new Cluster(seeds, {
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 0 },
  })
  await new Promise<void>((resolve, reject) => {
    client.once('error', reject)
    client.once('ready', () => {
      client.off('error', reject)
      resolve()
    })
  })
  return client
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
 * storage accepts), then Remix's three (it has no Redis storage) for reference.
 */
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
