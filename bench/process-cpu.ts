import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

let clockTicks: number | undefined

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 on Linux). */
function clockTicksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
  return clockTicks
}

/**
 * CPU time the process `pid` has used so far, user plus system, over all its threads (JavaScript,
 * libuv's thread pool, V8's helpers), in nanoseconds: `utime + stime` of `/proc/<pid>/stat`,
 * counted in clock ticks (10 ms at 100 ticks per second, so measure windows of seconds). Linux only.
 *
 * @throws {Error} when the process does not exist (any more).
 */
export function processCpuTime(pid: number): number {
  let stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) is in parentheses and may hold spaces: count from after it, where
  // field 3 (state) is index 0, so utime (field 14) is index 11 and stime (field 15) index 12.
  let fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  let ticks = Number(fields[11]) + Number(fields[12])
  return (ticks / clockTicksPerSecond()) * 1e9
}

/** A core's clock ticks so far (`cpu<n>` of `/proc/stat`): busy, and in all. Linux only. */
export interface CoreTicks {
  busy: number
  total: number
}

/**
 * The clock ticks `core` has spent so far, busy (everything but idle and iowait, steal included)
 * and in all, from its `cpu<core>` line of `/proc/stat`.
 *
 * @throws {Error} when `/proc/stat` has no such line.
 */
export function coreTicks(core: number): CoreTicks {
  let line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith(`cpu${core} `))
  if (line === undefined) throw new Error(`/proc/stat has no line for cpu${core}`)
  let ticks = line.trim().split(/\s+/).slice(1, 9).map(Number)
  let total = ticks.reduce((sum, value) => sum + value, 0)
  let idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  return { busy: total - idle, total }
}
