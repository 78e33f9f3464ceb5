/** True when `BENCH_QUICK=1`: shorter runs, for a smoke test rather than numbers to publish. */
export const quick = process.env.BENCH_QUICK === '1'

/**
 * Sections to run, from `BENCH_ONLY` (comma-separated names such as `matching,http`); every
 * section when unset.
 */
export const onlySections = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '')

/** Whether the section `name` is selected by `BENCH_ONLY`. */
export function sectionSelected(name: string): boolean {
  return onlySections.length === 0 || onlySections.includes(name)
}

/** Measured runs per competitor; the reported value is their median. */
export const rounds = 3

/**
 * A run set whose spread (max − min over median) is above this is flagged, and re-run once with
 * every competitor measured with it.
 */
export const maxSpread = 0.15

/** Time budget per tinybench task and run, in milliseconds. */
export const taskTime = quick ? 100 : 250

/** Warm-up budget per tinybench task and run, in milliseconds. */
export const taskWarmupTime = quick ? 50 : 100

/** HTTP warm-up before each measured run, in seconds. */
export const httpWarmup = quick ? 1 : 2

/** Measured duration of each HTTP run, in seconds. */
export const httpDuration = quick ? 3 : 8

/** Concurrent connections of the HTTP load (wrk's `-c`, from its one thread). */
export const httpConnections = 50

/**
 * Sessions each server gets before its HTTP load (`load-sessions.ts`), four per connection. A
 * server that sends the cookie on every response keeps at most {@link httpConnections} of them in
 * use, one per request in flight (`wrk-session.lua`); one that sends it only for a new session
 * and at renewals (ours with a server storage) gets them in turn, so a session comes back after
 * 199 other requests were sent, and shares the server with its previous request only if that one
 * is still unanswered by then (under the HTTP load, about the p99 latency).
 */
export const loadSessionCount = 4 * httpConnections

/** The machine's Node major version: the one running `pnpm bench`. */
export const machineNodeMajor = Number(process.versions.node.split('.')[0])

/**
 * Node major versions every per-Node section runs on, in order, from `BENCH_NODES`
 * (comma-separated, such as `26,20`). Default 26, 24, then the machine's own (20 here), without
 * repeats. Majors other than the machine's come from tools/test-kit's runtimes (22, 24, 26).
 */
export const nodeMajors = [
  ...new Set(
    (process.env.BENCH_NODES ?? `26,24,${machineNodeMajor}`)
      .split(',')
      .map((major) => major.trim())
      .filter((major) => major !== '')
      .map(Number),
  ),
]

/** Signing secret shared by every server and micro-benchmark (32+ characters). */
export const secret = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * PostgreSQL server of the PostgreSQL storage rows (`DATABASE_URL`); the bench writes only tables
 * whose names start with `bench_`, and drops them afterwards.
 */
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Redis server used by the Redis-backed storages; every key written starts with `bench:`. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * The `commandTimeout` of `servers/ours-redis.ts`, in milliseconds
 * (`BENCH_REDIS_COMMAND_TIMEOUT`; default the storage's own, 2 s): `callgrind-server.ts` raises
 * it, as valgrind runs a server some 50 times slower.
 */
export const redisCommandTimeout =
  process.env.BENCH_REDIS_COMMAND_TIMEOUT === undefined
    ? undefined
    : Number(process.env.BENCH_REDIS_COMMAND_TIMEOUT)
