import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { freePort } from './free-port.ts'
import { untilReady } from './until-ready.ts'

/** A redis-server of the test's own, on a free port, that keeps its data across restarts. */
export class RedisServer {
  #child: ChildProcess | undefined
  #port: number
  #directory: string
  #paused = false

  private constructor(port: number, directory: string) {
    this.#port = port
    this.#directory = directory
  }

  /** Starts a server with an append-only file in a new folder of the system's temp folder. */
  static async start(): Promise<RedisServer> {
    let server = new RedisServer(
      await freePort(),
      fs.mkdtempSync(path.join(os.tmpdir(), 'x-redis-')),
    )
    await server.restart()
    return server
  }

  /** Its `redis://` URL on 127.0.0.1. */
  get url(): string {
    return `redis://127.0.0.1:${this.#port}`
  }

  /** Starts the server again on the same port and data (after `stop()`), and waits until it listens. */
  async restart(): Promise<void> {
    let args = ['--port', String(this.#port), '--bind', '127.0.0.1', '--dir', this.#directory]
    let child = spawn('redis-server', [...args, '--save', '', '--appendonly', 'yes'], {
      stdio: 'pipe',
    })
    this.#child = child
    await untilReady(child, 'redis-server', /Ready to accept connections/)
  }

  /**
   * Freezes the server with SIGSTOP, as a stalled Redis: connections stay open, nothing answers.
   * {@link RedisServer.resume} thaws it; `stop()` also works on a paused server.
   */
  pause(): void {
    this.#signal('SIGSTOP')
    this.#paused = true
  }

  /** Thaws a server frozen by {@link RedisServer.pause} (SIGCONT): it answers what waited. */
  resume(): void {
    this.#signal('SIGCONT')
    this.#paused = false
  }

  /** Stops the server (SIGTERM, or SIGKILL when paused) and waits for it to exit. */
  async stop(): Promise<void> {
    let child = this.#child
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    let exited = new Promise((resolve) => child.once('exit', resolve))
    // A frozen process cannot handle SIGTERM: kill it outright.
    child.kill(this.#paused ? 'SIGKILL' : 'SIGTERM')
    this.#paused = false
    await exited
  }

  #signal(signal: NodeJS.Signals): void {
    let child = this.#child
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new Error('redis-server is not running')
    }
    child.kill(signal)
  }

  /** Deletes its data folder; call it after `stop()`. */
  remove(): void {
    fs.rmSync(this.#directory, { recursive: true, force: true })
  }
}
