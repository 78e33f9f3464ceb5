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
import { type HttpServer, httpServers, serverEnvironment } from './http-servers.ts'
import { type LoadResult, runLoad } from './load.ts'
import { type LoadCoreRedis, startLoadCoreRedis } from './load-core-redis.ts'
import { openLoadSessions } from './load-sessions.ts'
import { profileTopCount, renderProfile } from './profile-report.ts'
import { startServer } from './server-process.ts'

/** The servers of the HTTP section profiled on each Node version, in this order. */
export const profiledServers: readonly HttpServer[] = ['ours-cookie', 'ours-redis'].map((file) => {
  let server = httpServers.find((candidate) => candidate.file === file)
  if (server === undefined) throw new Error(`servers/${file}.ts is not an HTTP server of the bench`)
  return server
})

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
 * functions and the time per source package. A Redis server gets a redis-server on the load
 * generator's core, as in the HTTP section, stopped after the run.
 */
export async function runProfile(
  profiled: HttpServer,
  log: (line: string) => void,
): Promise<ProfileSummary> {
  let directory = mkdtempSync(join(tmpdir(), 'bench-cpu-prof-'))
  let redis: LoadCoreRedis | undefined
  try {
    if (profiled.redis === true) redis = await startLoadCoreRedis()
    log(`  profile: servers/${profiled.file}.ts under load for ${httpDuration} s`)
    let server = await startServer(profiled.file, {
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
      env: serverEnvironment(profiled, { redisUrl: redis?.url }),
    })
    let load: LoadResult
    let window: TimeWindow
    try {
      let cookies = await openLoadSessions(profiled.file, server.url)
      await runLoad(server.url, cookies, httpWarmup)
      let start = microseconds()
      load = await runLoad(server.url, cookies, httpDuration)
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
    let markdown = renderProfile(profiled.label, busy, summariseInclusiveTime(profile, window), {
      total,
      busyTime,
      requestsPerSecond: load.requestsPerSecond,
    })
    return { markdown, top: busy.slice(0, profileTopCount), busyTime }
  } finally {
    // Never in place of the profile's own error (the redis-server also dies with this process).
    await Promise.allSettled([redis?.stop()])
    rmSync(directory, { recursive: true, force: true })
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
