import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

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

  static async start(): Promise<RedisServer> {
    let server = new RedisServer(
      await freePort(),
      fs.mkdtempSync(path.join(os.tmpdir(), 'x-redis-')),
    )
    await server.restart()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.#port}`
  }

  async restart(): Promise<void> {
    let args = ['--port', String(this.#port), '--bind', '127.0.0.1', '--dir', this.#directory]
    let child = spawn('redis-server', [...args, '--save', '', '--appendonly', 'yes'], {
      stdio: 'pipe',
    })
    this.#child = child
    await new Promise<void>((resolve, reject) => {
      let output = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk
        if (output.includes('Ready to accept connections')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)))
    })
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

  remove(): void {
    fs.rmSync(this.#directory, { recursive: true, force: true })
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    let probe = net.createServer().listen(0, '127.0.0.1', () => {
      let { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
