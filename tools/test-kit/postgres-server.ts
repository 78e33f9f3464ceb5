import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { freePort } from './free-port.ts'
import { untilReady } from './until-ready.ts'

/**
 * A PostgreSQL server of the test's own, from the machine's newest `/usr/lib/postgresql/<version>`
 * binaries, on a free port, with trust auth, keeping its data across restarts. As root, it runs as
 * the `postgres` user: PostgreSQL refuses to run as root.
 */
export class PostgresServer {
  #child: ChildProcess | undefined
  #port: number
  #directory: string
  #bin: string
  #user: { uid: number; gid: number } | undefined

  private constructor(port: number, directory: string) {
    this.#port = port
    this.#directory = directory
    let versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    this.#bin = `/usr/lib/postgresql/${versions[0]}/bin`
    this.#user = process.getuid?.() === 0 ? systemUser('postgres') : undefined
  }

  /** Creates a data directory in the system's temp folder with `initdb`, and starts the server. */
  static async start(): Promise<PostgresServer> {
    let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-postgres-'))
    let server = new PostgresServer(await freePort(), directory)
    if (server.#user) fs.chownSync(directory, server.#user.uid, server.#user.gid)
    await server.#run('initdb', ['-D', directory, '-U', 'postgres', '-A', 'trust', '--no-sync'])
    await server.restart()
    return server
  }

  /** The connection URL of its `postgres` database, as the `postgres` user. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.#port}/postgres`
  }

  /** Starts the server again on the same port and data (after `stop()`), and waits until it listens. */
  async restart(): Promise<void> {
    let args = ['-D', this.#directory, '-p', `${this.#port}`, '-k', this.#directory]
    args.push('-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off')
    let child = spawn(path.join(this.#bin, 'postgres'), args, { stdio: 'pipe', ...this.#user })
    this.#child = child
    await untilReady(child, 'postgres', /ready to accept connections/)
  }

  /** Freezes the server and its backends with SIGSTOP: connections stay open, nothing answers. */
  pause(): void {
    this.#group('SIGSTOP')
  }

  /** Thaws a server frozen by {@link PostgresServer.pause}. */
  resume(): void {
    this.#group('SIGCONT')
  }

  /** Stops the server (a fast shutdown: open connections are closed), paused or not. */
  async stop(): Promise<void> {
    let child = this.#child
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    let exited = new Promise((resolve) => child.once('exit', resolve))
    this.#group('SIGCONT')
    child.kill('SIGINT')
    await exited
  }

  /** Deletes the data directory; call it after `stop()`. */
  remove(): void {
    fs.rmSync(this.#directory, { recursive: true, force: true })
  }

  /** Signals the postmaster, then its backends (each a session leader of its own: not a group). */
  #group(signal: NodeJS.Signals): void {
    let pid = this.#child?.pid as number
    process.kill(pid, signal)
    for (let entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        let status = fs.readFileSync(`/proc/${entry}/status`, 'utf8')
        if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === pid) process.kill(Number(entry), signal)
      } catch {
        // Ended while we looked.
      }
    }
  }

  async #run(command: string, args: string[]): Promise<void> {
    let child = spawn(path.join(this.#bin, command), args, { stdio: 'pipe', ...this.#user })
    let output: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk))
    let code = await new Promise((resolve) => child.once('exit', resolve))
    if (code !== 0) throw new Error(`${command} exited with ${code}: ${Buffer.concat(output)}`)
  }
}

/** The uid and gid of the system user `name`, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } {
  let line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`))
  if (line === undefined) throw new Error(`No ${name} user to run PostgreSQL as`)
  let [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}
