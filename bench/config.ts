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

/** A run set whose spread (max − min over median) is above this is re-run once and flagged. */
export const maxSpread = 0.15

/** Time budget per tinybench task and run, in milliseconds. */
export const taskTime = quick ? 100 : 250

/** Warm-up budget per tinybench task and run, in milliseconds. */
export const taskWarmupTime = quick ? 50 : 100

/** HTTP warm-up before each measured run, in seconds. */
export const httpWarmup = quick ? 1 : 2

/** Measured duration of each HTTP run, in seconds. */
export const httpDuration = quick ? 3 : 8

/** Concurrent connections of the HTTP load. */
export const httpConnections = 50

/** Signing secret shared by every server and micro-benchmark (32+ characters). */
export const secret = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'

/** Redis server used by the Redis-backed storages; every key written starts with `bench:`. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
