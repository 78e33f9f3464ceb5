import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import pg from 'pg'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import type { PostgresClient } from '../postgres/postgres-client.ts'
import { PostgresTimeoutError } from '../postgres/query-timeout.ts'
import { createPostgresSessionStorage, type PostgresSessionStorage } from './postgres.ts'

/**
 * A PostgreSQL server of the test's own, from the machine's binaries, on a free port, keeping its
 * data across restarts. As root, it runs as the `postgres` user: PostgreSQL refuses to run as root.
 */
class PostgresServer {
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

  static async start(): Promise<PostgresServer> {
    let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-postgres-'))
    let server = new PostgresServer(await freePort(), directory)
    if (server.#user) fs.chownSync(directory, server.#user.uid, server.#user.gid)
    await server.#run('initdb', ['-D', directory, '-U', 'postgres', '-A', 'trust', '--no-sync'])
    await server.restart()
    return server
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.#port}/postgres`
  }

  async restart(): Promise<void> {
    let args = ['-D', this.#directory, '-p', `${this.#port}`, '-k', this.#directory]
    args.push('-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off')
    let child = spawn(path.join(this.#bin, 'postgres'), args, {
      stdio: 'pipe',
      ...this.#user,
    })
    this.#child = child
    await new Promise<void>((resolve, reject) => {
      let output = ''
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk
        if (output.includes('ready to accept connections')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`postgres exited with ${code}: ${output}`)))
    })
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

function systemUser(name: string): { uid: number; gid: number } {
  let line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`))
  if (line === undefined) throw new Error(`No ${name} user to run PostgreSQL as`)
  let [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    let probe = net.createServer().listen(0, '127.0.0.1', () => {
      let { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** Runs `test` against a PostgreSQL server of its own, stopped and removed afterwards. */
async function withServer(test: (server: PostgresServer) => Promise<void>): Promise<void> {
  let server = await PostgresServer.start()
  try {
    await test(server)
  } finally {
    await server.stop()
    server.remove()
  }
}

/** A client of each library for `url`, and how to close it. */
function connect(kind: string, url: string): { client: PostgresClient; end(): Promise<void> } {
  if (kind === 'postgres') {
    let sql = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 2, fetch_types: false })
    return { client: sql, end: () => sql.end({ timeout: 0 }) }
  }
  let pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 })
  // pg emits 'error' on the pool when the server closes an idle connection: apps must listen.
  pool.on('error', () => {})
  return { client: pool, end: () => pool.end() }
}

/** A session saved with `user: 'ada'`, and its id. */
async function savedSession(storage: PostgresSessionStorage<unknown, unknown>) {
  let session = await storage.read(null)
  session.set('user', 'ada')
  return (await storage.save(session)) as string
}

/** Retries `task` until it resolves: the client reconnects in the background after a restart. */
async function eventually<Result>(task: () => Promise<Result>): Promise<Result> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task()
    } catch (error) {
      if (attempt === 100) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

describe('createPostgresSessionStorage when PostgreSQL goes away', () => {
  it.each(['postgres', 'pg'])(
    'fails while the server is down, then works again without a restart, sessions intact (%s)',
    async (kind) => {
      await withServer(async (server) => {
        let { client, end } = connect(kind, server.url)
        let storage = createPostgresSessionStorage({ client })
        let id = await savedSession(storage)
        await server.stop()
        await expect(storage.read(id)).rejects.toThrow()
        let pending = await storage.read(null)
        pending.set('x', 1)
        await expect(storage.save(pending)).rejects.toThrow()
        await server.restart()
        let session = await eventually(() => storage.read(id))
        expect(session.get('user')).toBe('ada')
        session.set('cart', ['mug'])
        expect(await storage.save(session)).toBe(id)
        await end()
      })
    },
    60_000,
  )

  it('creates the table at the first statement after an outage at startup', async () => {
    await withServer(async (server) => {
      let { client, end } = connect('postgres', server.url)
      let storage = createPostgresSessionStorage({ client })
      await server.stop()
      await expect(storage.read('A'.repeat(32))).rejects.toThrow()
      await server.restart()
      let id = await eventually(() => savedSession(storage))
      expect((await storage.read(id)).get('user')).toBe('ada')
      await end()
    })
  }, 60_000)
})

describe('createPostgresSessionStorage when PostgreSQL stalls', () => {
  it.each(['postgres', 'pg'])(
    'rejects reads and saves after queryTimeout, then recovers (%s)',
    async (kind) => {
      await withServer(async (server) => {
        let { client, end } = connect(kind, server.url)
        let storage = createPostgresSessionStorage({ client, queryTimeout: 300 })
        let id = await savedSession(storage)
        server.pause()
        try {
          await expect(storage.read(id)).rejects.toThrow(PostgresTimeoutError)
          let pending = await storage.read(null)
          pending.set('x', 1)
          await expect(storage.save(pending)).rejects.toThrow(PostgresTimeoutError)
        } finally {
          server.resume()
        }
        let session = await eventually(() => storage.read(id))
        expect(session.get('user')).toBe('ada')
        session.set('cart', ['mug'])
        expect(await storage.save(session)).toBe(id)
        expect((await storage.read(id)).get('cart')).toEqual(['mug'])
        await end()
      })
    },
    60_000,
  )
})
