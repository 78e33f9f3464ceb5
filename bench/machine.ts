import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { Redis } from 'ioredis'
import postgres from 'postgres'
import { connectBenchRedis } from './bench-redis.ts'
import { databaseUrl } from './config.ts'
import { devalueVersion } from './devalue.ts'

/** Where and with what the benchmarks ran. */
export interface MachineInfo {
  cpu: string
  cores: number
  memory: string
  os: string
  /** The Node running `run.ts` (each per-Node section names its own). */
  node: string
  loadAverage: string
  /** The version of the Redis at `REDIS_URL` (the session section's). */
  redis: string
  /** `redis-server --version`'s, the HTTP and profile sections' Redis (`load-core-redis.ts`). */
  redisServer: string
  postgres: string
  /** wrk's version line, such as `wrk debian/4.1.0-3+b2 [epoll]`. */
  wrk: string
  commit: string
  /** Package name → installed version, for every package the suite compares or uses. */
  versions: [string, string][]
}

const benchRoot = new URL('./', import.meta.url)

function readJson(url: URL): Record<string, unknown> {
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>
}

/** The installed version of `name`, read from its package.json in bench/node_modules. */
function installedVersion(name: string): string {
  try {
    return String(readJson(new URL(`node_modules/${name}/package.json`, benchRoot)).version)
  } catch {
    return 'not installed'
  }
}

async function redisVersion(): Promise<string> {
  let client: Redis | undefined
  try {
    client = await connectBenchRedis()
    let info = await client.info('server')
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown'
  } catch {
    return 'unreachable'
  } finally {
    client?.disconnect()
  }
}

async function postgresVersion(): Promise<string> {
  let sql = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    let [row] = await sql`SHOW server_version`
    return String(row?.server_version ?? 'unknown')
  } catch {
    return 'unreachable'
  } finally {
    await sql.end()
  }
}

function redisServerVersion(): string {
  let { stdout } = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  return /v=(\S+)/.exec(stdout ?? '')?.[1] ?? 'not installed'
}

function wrkVersion(): string {
  // `wrk -v` prints its version line (then its usage) and exits with status 1.
  let { stdout } = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  return /^wrk .*?\[\w+\]/.exec(stdout ?? '')?.[0] ?? 'not installed'
}

function gitCommit(): string {
  try {
    let git = (args: string[]) =>
      execFileSync('git', args, { cwd: new URL('..', benchRoot), encoding: 'utf8' }).trim()
    let commit = git(['rev-parse', '--short', 'HEAD'])
    let changed = git(['status', '--porcelain', '--', 'packages'])
      .split('\n')
      .filter(Boolean).length
    return changed > 0 ? `${commit} + ${changed} uncommitted changes in packages/` : commit
  } catch {
    return 'unknown'
  }
}

/** Machine, runtime and package versions, for RESULTS.md. */
export async function machineInfo(): Promise<MachineInfo> {
  let manifest = readJson(new URL('package.json', benchRoot))
  let dependencies = Object.keys((manifest.devDependencies ?? {}) as Record<string, string>)
  let versions = dependencies
    .filter((name) => !name.startsWith('@types/'))
    .map((name): [string, string] => [name, installedVersion(name)])
  versions.push(['devalue (via @x/session)', devalueVersion])
  let cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(', '),
    redis: await redisVersion(),
    redisServer: redisServerVersion(),
    postgres: await postgresVersion(),
    wrk: wrkVersion(),
    commit: gitCommit(),
    versions: versions.sort(([a], [b]) => a.localeCompare(b)),
  }
}
