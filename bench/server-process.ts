import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const benchDirectory = fileURLToPath(new URL('.', import.meta.url))

/** A server running in its own child process. */
export interface ServerProcess {
  name: string
  port: number
  url: string
  child: ChildProcess
  /** Sends SIGTERM and waits for the process to exit (SIGKILL after 5 s). */
  stop(): Promise<void>
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Node flags put before `--import tsx`, such as `--cpu-prof`. */
  nodeFlags?: string[]
  /** How long to wait for the server to announce its port, in milliseconds. Default 30,000. */
  timeout?: number
  /** Environment variables added to this process's (and `PORT=0`). Default none. */
  env?: Record<string, string>
}

/**
 * Starts `servers/<name>.ts` with `node --import tsx` on a free port and waits for the line
 * `listening on <port>` on its stdout.
 *
 * @throws {Error} with the server's stderr when it exits or stays silent before announcing.
 */
export async function startServer(
  name: string,
  options: StartServerOptions = {},
): Promise<ServerProcess> {
  let child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--conditions=built', '--import', 'tsx', `servers/${name}.ts`],
    {
      cwd: benchDirectory,
      env: { ...process.env, ...options.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  let port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    let timer = setTimeout(
      () => fail('did not announce its port in time'),
      options.timeout ?? 30_000,
    )
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
        resolve(Number(match[1]))
      }
    })
  })
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}/`,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      let exited = once(child, 'exit')
      child.kill('SIGTERM')
      let timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
