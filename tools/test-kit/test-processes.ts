import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'

/**
 * The environment variable that marks the processes a test run starts: the global setup sets it,
 * and every child process (servers, redis-server, packers) inherits it.
 */
export const testRunVariable = 'X_TEST_RUN'

/** A process still running, with its command line. */
export interface LeftProcess {
  pid: number
  command: string
}

/**
 * The processes still running that carry `X_TEST_RUN=<run>` in their environment, other than this
 * one, its ancestors and Vitest's own workers (which may still be exiting). Reads `/proc` on Linux,
 * and `ps eww` (which appends the environment) elsewhere.
 */
export function processesOfRun(run: string): LeftProcess[] {
  let mark = `${testRunVariable}=${run}`
  let excluded = ancestors()
  let found: LeftProcess[] = []
  for (let { pid, environment, command } of listProcesses()) {
    if (excluded.has(pid) || !environment.includes(mark)) continue
    if (command.includes('/vitest/dist/workers/')) continue
    found.push({ pid, command })
  }
  return found
}

interface ProcessInfo {
  pid: number
  environment: string[]
  command: string
}

function listProcesses(): ProcessInfo[] {
  if (!fs.existsSync('/proc/self/environ')) return listWithPs()
  let list: ProcessInfo[] = []
  for (let entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      let environment = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      let command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim()
      list.push({ pid: Number(entry), environment, command })
    } catch {
      // The process ended while we looked, or belongs to another user: not ours.
    }
  }
  return list
}

function listWithPs(): ProcessInfo[] {
  let output = execFileSync('ps', ['eww', '-axo', 'pid=,command='], { encoding: 'utf8' })
  return output
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({
      pid: Number(match[1]),
      environment: (match[2] as string).split(' '),
      command: match[2] as string,
    }))
}

/** This process and its ancestors: the test runner and whatever started it. */
function ancestors(): Set<number> {
  let pids = new Set<number>([process.pid])
  let pid = process.ppid
  while (pid > 1 && !pids.has(pid)) {
    pids.add(pid)
    pid = parentOf(pid)
  }
  return pids
}

function parentOf(pid: number): number {
  try {
    let status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0)
  } catch {
    let output = execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' })
    return Number(output.trim()) || 0
  }
}
