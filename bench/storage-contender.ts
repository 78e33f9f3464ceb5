import type { ClusterSeed } from './cluster-seeds.ts'
import type { AnyStorage } from './typical-session.ts'

/** A storage under test and how to release what it holds (a connection, a temp directory). */
export interface OpenStorage {
  storage: AnyStorage
  close(): Promise<void>
}

/** What the storages under test may use besides Redis at `REDIS_URL` and PostgreSQL at `DATABASE_URL`. */
export interface StorageResources {
  /** Seed addresses of the bench's own Redis Cluster (`startBenchCluster()`). */
  clusterSeeds: ClusterSeed[]
}

/** A named way to open a storage for the micro-benchmarks. */
export interface StorageContender {
  name: string
  open(resources: StorageResources): OpenStorage | Promise<OpenStorage>
}
