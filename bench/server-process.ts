import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { benchDirectory, type ScriptOptions, scriptArguments } from './child-script.ts'
import { pinnedCommand, serverCore } from './cpu-pinning.ts'

/** A server running in its own child process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>/`. */
  url: string
  /** Its process id: the Node process itself, whose CPU time `process-cpu.ts` reads. */
  pid: number
  /** Sends SIGTERM and waits for the process to exit (SIGKILL after 5 s). */
  stop(): Promise<void>
}

/** Options for {@link startServer}. */
export interface ServerOptions extends ScriptOptions {
  /**
   * A command and its arguments that run Node (`['valgrind', '--tool=callgrind']`, say): Node's
   * path and arguments follow them. Default none.
   */
  wrapper?: readonly string[]
  /** How long the server has to announce its port, in milliseconds. Default 30 s. */
  startTimeout?: number
  /** How long `stop()` waits after SIGTERM before SIGKILL, in milliseconds. Default 5 s. */
  stopTimeout?: number
  /**
   * Called with each chunk of the server's stdout once it announced its port (what
   * `--trace-gc-nvp` prints, say). Default none: the output is dropped.
   */
  onStdout?: (chunk: string) => void
}

/**
 * Starts `servers/<name>.ts` as a child script (`scriptArguments`, with `options`' Node flags
 * such as `--cpu-prof` and its environment plus `PORT=0`) on this process's Node, pinned with
 * all its threads to the server core (`cpu-pinning.ts`), on a free port, and waits for the line
 * `listening on <port>` on its stdout. With a `wrapper`, the wrapper runs Node (and is the process
 * whose id `pid` gives).
 *
 * @throws {Error} with the server's stderr when it exits or stays silent before announcing.
 */
export async function startServer(
  name: string,
  options: ServerOptions = {},
): Promise<ServerProcess> {
  let { wrapper = [], startTimeout = 30_000, stopTimeout = 5_000 } = options
  let [program, ...programArgs] = [
    ...wrapper,
    process.execPath,
    ...scriptArguments(`servers/${name}.ts`, options.nodeFlags),
  ] as [string, ...string[]]
  let [command, args] = pinnedCommand(serverCore, program, programArgs)
  let child = spawn(command, args, {
    cwd: benchDirectory,
    env: { ...process.env, ...options.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  let port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    let timer = setTimeout(() => fail('did not announce its port in time'), startTimeout)
    let fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`Server ${name} ${why}:\n${stderr}`))
    }
    child.once('exit', (code) => fail(`exited with code ${code}`))
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      let match = /listening on (\d+)/.exec(stdout)
      if (match) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        child.stdout?.removeAllListeners('data')
        if (options.onStdout) child.stdout?.on('data', options.onStdout)
        else child.stdout?.resume()
        resolve(Number(match[1]))
      }
    })
  })
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      let exited = once(child, 'exit')
      child.kill('SIGTERM')
      let timer = setTimeout(() => child.kill('SIGKILL'), stopTimeout)
      await exited
      clearTimeout(timer)
    },
  }
}
