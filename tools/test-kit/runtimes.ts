import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'

const require = createRequire(import.meta.url)

/** A runtime an example is served on, and how to start a server file with it. */
export interface Runtime {
  /** Its name and major version, e.g. `Node 26`. */
  name: string
  /** The runtime's own executable (never a `node_modules/.bin` shim, which would outlive a kill). */
  command: string
  /** The arguments before the entry file. */
  args: string[]
  /** Which of the example's server files this runtime runs. */
  entry: 'node' | 'bun' | 'deno'
}

/** The directory of an installed package of this one. */
function packageDirectory(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`))
}

function node(major: 22 | 24 | 26): Runtime {
  let command = path.join(packageDirectory(`node${major}`), 'bin', 'node')
  // Node runs TypeScript through tsx, which each example depends on.
  return { name: `Node ${major}`, command, args: ['--import', 'tsx'], entry: 'node' }
}

/** Bun's own binary: the `bun` package's postinstall puts it in place of `bin/bun.exe`. */
function bun(): Runtime {
  let command = path.join(packageDirectory('bun'), 'bin', 'bun.exe')
  return { name: 'Bun', command, args: [], entry: 'bun' }
}

/** Deno's own binary: next to the `deno` package's launcher, or in its platform package. */
function deno(): Runtime {
  let directory = packageDirectory('deno')
  let command = path.join(directory, process.platform === 'win32' ? 'deno.exe' : 'deno')
  if (!existsSync(command)) {
    command = (
      require(path.join(directory, 'install_api.cjs')) as { runInstall(): string }
    ).runInstall()
  }
  let permissions = ['--allow-net', '--allow-env', '--allow-read', '--allow-write']
  return {
    name: 'Deno',
    command,
    args: ['run', '--unstable-no-legacy-abort', ...permissions],
    entry: 'deno',
  }
}

/**
 * Node 26: the runtime an example runs on when a test needs just one (the browser test, the
 * two-server test, the soak run).
 */
export const defaultRuntime: Runtime = node(26)

/**
 * One of each runtime (Node 26, Bun, Deno), for the longer suites: what differs between Node
 * versions is covered by the examples that run on {@link runtimes}.
 */
export const eachRuntimeOnce: Runtime[] = [defaultRuntime, bun(), deno()]

/**
 * Every runtime the examples are tested on: Node 26, 24 and 22 (the npm packages `node26`,
 * `node24` and `node22`), Bun and Deno (the npm packages `bun` and `deno`). The first is
 * {@link defaultRuntime}. The machine's own Node (20 here) runs the tests, not the examples.
 */
export const runtimes: Runtime[] = [defaultRuntime, node(24), node(22), ...eachRuntimeOnce.slice(1)]

/** A running example server. */
export interface Server {
  /** Its base URL, e.g. `http://127.0.0.1:43210`. */
  base: string
  /** Its process id (also its process group id). */
  pid: number
  /** What it printed so far (stdout and stderr). */
  output(): string
  /** Stops it and everything it started, and waits for it to exit. */
  stop(): Promise<void>
}

/**
 * Starts `server.<entry>.ts` of the example in `directory` on a free port, and resolves once it
 * prints `Listening on <url>`. Rejects with its output if it exits first. The server runs in a
 * process group of its own, which `stop()` ends as a whole: SIGTERM, then SIGKILL if it has not
 * exited after 5 seconds.
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
      detached: true,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', ...env },
    },
  )
  let output = ''
  let exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, 'SIGTERM')
      let force = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000)
      await exited
      clearTimeout(force)
    }
    // Whatever the server started and left behind shares its group.
    signalGroup(child, 'SIGKILL')
  }
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk
      let match = /Listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        resolve({ base: match[1] as string, pid: child.pid as number, output: () => output, stop })
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.once('error', (error) => reject(new Error(`${runtime.name} did not start: ${error}`)))
    child.once('exit', (code) => {
      signalGroup(child, 'SIGKILL')
      reject(new Error(`${runtime.name} exited with ${code}:\n${output}`))
    })
  })
}

/** Sends `signal` to the child's process group; no error when the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
