import { spawn } from 'node:child_process'

/** What a finished child process left. */
export interface ChildResult {
  /** The exit code, or `null` when a signal ended it. */
  code: number | null
  stdout: string
  stderr: string
  /** Whether it was killed for running longer than `timeout`. */
  timedOut: boolean
}

/** Options of `runChild`. */
export interface RunChildOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  /** Milliseconds the process may run before its whole process group is killed. */
  timeout: number
}

/**
 * Runs `command` in a process group of its own and resolves when it exits. On timeout, and
 * again after it exits, the whole group is killed, so nothing it started outlives it.
 */
export function runChild(
  command: string,
  args: string[],
  { cwd, env, timeout }: RunChildOptions,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    let child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    let timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, timeout)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      killGroup(child.pid)
      resolve({ code, stdout, stderr, timedOut })
    })
  })
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // The group is already gone.
  }
}
