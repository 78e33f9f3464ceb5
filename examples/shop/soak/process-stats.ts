import * as fs from 'node:fs'

/** Resident memory (MiB) and open file descriptors of a process, read from /proc (Linux). */
export function processStats(pid: number): { rssMiB: number; fds: number } {
  let status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  let rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return { rssMiB: Math.round(rssKiB / 102.4) / 10, fds: fs.readdirSync(`/proc/${pid}/fd`).length }
}
