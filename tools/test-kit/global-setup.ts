import { type LeftProcess, processesOfRun, testRunVariable } from './test-processes.ts'

/**
 * Vitest's global setup for the whole repository: marks this run's child processes, and fails the
 * run if a test leaves one running (a server, a runtime, a redis-server), naming each and
 * killing it so the machine is left clean.
 */
export function setup(): () => void {
  let run = process.env[testRunVariable] ?? `${process.pid}-${Date.now()}`
  process.env[testRunVariable] = run
  return () => {
    let left = processesOfRun(run)
    if (left.length === 0) return
    for (let { pid } of left) kill(pid)
    // Vitest reports an error thrown here but still exits with 0: set the exit code ourselves.
    process.exitCode = 1
    console.error(
      `\nFAIL: tests left ${left.length} process(es) running (now killed):\n${left.map(describe).join('\n')}\n`,
    )
  }
}

function describe({ pid, command }: LeftProcess): string {
  return `  pid ${pid}: ${command}`
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}
