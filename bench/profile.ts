import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { httpDuration, httpWarmup } from './config.ts'
import {
  type CpuProfile,
  type SelfTime,
  summariseInclusiveTime,
  summariseSelfTime,
  type TimeWindow,
} from './cpu-profile-summary.ts'
import { type LoadResult, runLoad } from './load.ts'
import { profileTopCount, renderProfile } from './profile-report.ts'
import { deleteBenchKeys } from './redis-cleanup.ts'
import { startServer } from './server-process.ts'
import { verifyCounter } from './verify-counter.ts'

/** A server the profile section profiles: `servers/<file>.ts`. */
export interface ProfiledServer {
  file: string
  /** What it is, as PROFILE.md names it. */
  title: string
  /** Whether it keeps its sessions in the Redis at `REDIS_URL` (its `bench:` keys are deleted after). */
  redis: boolean
}

/** The servers profiled on each Node version, in order. */
export const profiledServers: readonly ProfiledServer[] = [
  { file: 'ours-cookie', title: 'ours + cookie storage', redis: false },
  { file: 'ours-redis', title: 'ours + Redis storage', redis: true },
]

/** What the profile found: its part of PROFILE.md, and the run's summary. */
export interface ProfileSummary {
  /** One server's part of PROFILE.md on this Node version (`renderProfile`). */
  markdown: string
  top: SelfTime[]
  busyTime: number
}

/**
 * Profiles one of our servers (`node --cpu-prof`, on this process's Node) while wrk loads it for
 * the HTTP section's measured duration (after its warm-up), and summarises the top self-time
 * functions and the time per source package.
 */
export async function runProfile(
  profiled: ProfiledServer,
  log: (line: string) => void,
): Promise<ProfileSummary> {
  let directory = mkdtempSync(join(tmpdir(), 'bench-cpu-prof-'))
  try {
    log(`  profile: servers/${profiled.file}.ts under load for ${httpDuration} s`)
    let server = await startServer(profiled.file, {
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
    })
    let load: LoadResult
    let window: TimeWindow
    try {
      let cookie = await verifyCounter(profiled.file, server.url)
      await runLoad(server.url, cookie, httpWarmup)
      let start = microseconds()
      load = await runLoad(server.url, cookie, httpDuration)
      window = { start, end: microseconds() }
    } finally {
      await server.stop()
    }
    let profile = readProfile(directory)
    // Only the measured window counts: start-up and warm-up do not.
    let all = summariseSelfTime(profile, window)
    if (all.length === 0) throw new Error('No profile sample fell inside the load window')
    let total = all.reduce((sum, entry) => sum + entry.selfTime, 0)
    let idle = all.find((entry) => entry.functionName === '(idle)')?.selfTime ?? 0
    let busy = all.filter((entry) => entry.functionName !== '(idle)')
    let busyTime = total - idle
    let markdown = renderProfile(profiled.title, busy, summariseInclusiveTime(profile, window), {
      total,
      busyTime,
      requestsPerSecond: load.requestsPerSecond,
    })
    return { markdown, top: busy.slice(0, profileTopCount), busyTime }
  } finally {
    rmSync(directory, { recursive: true, force: true })
    // Never in place of the profile's own error: a Redis that is down is logged, not thrown.
    if (profiled.redis)
      await deleteBenchKeys().catch((error: unknown) => log(`  profile: ${error}`))
  }
}

/** The one `.cpuprofile` the server wrote in `directory`. */
function readProfile(directory: string): CpuProfile {
  let profileFile = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'))
  if (profileFile === undefined) throw new Error(`No .cpuprofile written in ${directory}`)
  return JSON.parse(readFileSync(join(directory, profileFile), 'utf8')) as CpuProfile
}

/** Now on the monotonic clock the profile's timestamps use, in microseconds. */
function microseconds(): number {
  return Number(process.hrtime.bigint() / 1000n)
}
