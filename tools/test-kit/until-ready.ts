import type { ChildProcess } from 'node:child_process'

/**
 * Resolves once `child` has written output (stdout and stderr together) that matches `ready`.
 * Rejects if it exits first, with an error naming `name`, its exit code and everything it wrote,
 * or if it cannot be started (a missing command).
 */
export function untilReady(child: ChildProcess, name: string, ready: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    let onData = (chunk: Buffer) => {
      output += chunk
      if (ready.test(output)) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)))
    // A command that cannot be run at all (ENOENT) emits 'error', not 'exit'.
    child.once('error', (error) => reject(new Error(`${name} did not start: ${error.message}`)))
  })
}
