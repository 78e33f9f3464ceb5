import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import postgres from 'postgres'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { savedSession } from '../../test/storage-outage.ts'
import { createCookie } from '../cookie.ts'
import type { PostgresSessionClient } from '../postgres/postgres-client.ts'
import { postgresSessionTableSql } from '../postgres/postgres-table.ts'
import { createPostgresSessionStorage, type PostgresSessionStorageOptions } from './postgres.ts'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
// Every run keeps its tables in a schema of its own, dropped at the end.
const schema = `x_session_test_${process.pid}_${Date.now()}`
const sql = postgres(url, { max: 4, onnotice: () => {} })
const pool = new pg.Pool({ connectionString: url, max: 4 })
await sql.unsafe(`CREATE SCHEMA ${schema}`)
const cookie = createCookie('session', { secrets: [secret] })
let tables = 0

/** A table name no other test uses. */
function newTable(): string {
  return `${schema}.sessions_${++tables}`
}

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`)
  await sql.end()
  await pool.end()
})

type Options = Omit<PostgresSessionStorageOptions, 'client'>

// One table per conformance test: storages made in one test share it (`reopens`).
function perTest(client: PostgresSessionStorageOptions['client']) {
  let table = ''
  let test = ''
  return (options: Options = {}) => {
    let name = expect.getState().currentTestName ?? ''
    if (name !== test) [test, table] = [name, newTable()]
    return createPostgresSessionStorage({ client, table, ...options })
  }
}

describeSessionStorage('createPostgresSessionStorage({ client: postgres() })', perTest(sql), {
  serverSide: true,
  reopens: true,
})

describeSessionStorage('createPostgresSessionStorage({ client: new pg.Pool() })', perTest(pool), {
  serverSide: true,
  reopens: true,
})

/** A session saved with `user: 'ada'`, and its id. */

describe('createPostgresSessionStorage rows, tables and options', () => {
  it('keeps a session as a row with one JSON key per value, in the table it creates', async () => {
    let table = newTable()
    let storage = createPostgresSessionStorage({ client: sql, table })
    let id = await savedSession(storage)
    let [row] = await sql.unsafe(`SELECT * FROM ${table} WHERE id = $1`, [id])
    expect(row?.vals).toEqual({ user: '["ada"]' })
    expect(row?.user_id).toBeNull()
    let indexes = await sql.unsafe(
      'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1',
      [schema, table.split('.')[1] as string],
    )
    expect(indexes.map((index) => index.indexname)).toEqual([
      `${table.split('.')[1]}_expires_at_idx`,
      `${table.split('.')[1]}_pkey`,
      `${table.split('.')[1]}_user_id_idx`,
    ])
  })

  it('creates its table once when ten processes start on it at once', async () => {
    let table = newTable()
    let clients = Array.from({ length: 10 }, () => postgres(url, { max: 1, onnotice: () => {} }))
    try {
      let ids = await Promise.all(
        clients.map((client) => savedSession(createPostgresSessionStorage({ client, table }))),
      )
      let [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`)
      expect([new Set(ids).size, row?.n]).toEqual([10, 10])
    } finally {
      await Promise.all(clients.map((client) => client.end()))
    }
  })

  it('reads a corrupt row as a fresh session, and deletes it', async () => {
    let table = newTable()
    let storage = createPostgresSessionStorage({ client: sql, table })
    let corrupt = [
      `vals = '{"user": 1}'`,
      `vals = '{"user": "{not devalue"}'`,
      `vals = '[1, 2]'`,
      `flash = '{"__proto__": "[1]"}'`,
    ]
    for (let change of corrupt) {
      let id = await savedSession(storage)
      await sql.unsafe(`UPDATE ${table} SET ${change} WHERE id = $1`, [id])
      let session = await storage.read(id)
      expect([session.size, session.id === id]).toEqual([0, false])
      expect(await sql.unsafe(`SELECT id FROM ${table} WHERE id = $1`, [id])).toHaveLength(0)
    }
  })

  it('uses a table made by the exported migration SQL with createTable: false', async () => {
    let table = newTable()
    let storage = createPostgresSessionStorage({ client: pool, table, createTable: false })
    // A missing table is a real error, never taken for a missing session.
    await expect(storage.read('A'.repeat(32))).rejects.toThrow(/does not exist/)
    await pool.query(postgresSessionTableSql(table))
    await pool.query(postgresSessionTableSql(table))
    let id = await savedSession(storage)
    expect((await storage.read(id)).get('user')).toBe('ada')
  })

  it('refuses options it cannot honour with a TypeError', () => {
    expect(() => createPostgresSessionStorage({ client: {} as never })).toThrow(
      /must be a `postgres` sql instance, a `pg` Pool or Client/,
    )
    for (let table of ['', 'a.b.c', 'x"; DROP TABLE y', '1abc', 'a'.repeat(49)]) {
      expect(() => createPostgresSessionStorage({ client: sql, table })).toThrow(TypeError)
    }
    expect(() => createPostgresSessionStorage({ client: sql, queryTimeout: 0 })).toThrow(TypeError)
    expect(() => createPostgresSessionStorage({ client: sql, pruneInterval: -1 })).toThrow(
      TypeError,
    )
    expect(() => createPostgresSessionStorage({ client: sql, idleTimeout: 0 })).toThrow(TypeError)
  })
})

describe('createPostgresSessionStorage statements and clients', () => {
  it('runs one statement per read and per save, with or without a user', async () => {
    let statements: string[] = []
    let counting: PostgresSessionClient = {
      run(text, params) {
        statements.push(text)
        return sql.unsafe(text, params as string[]) as unknown as ReturnType<
          PostgresSessionClient['run']
        >
      },
    }
    let storage = createPostgresSessionStorage({
      client: counting,
      table: newTable(),
      userKey: 'user',
    })
    let anonymous = await storage.read(null)
    anonymous.set('cart', ['mug'])
    let ids = [(await storage.save(anonymous)) as string, await savedSession(storage)]
    for (let id of ids) {
      statements = []
      let session = await storage.read(id)
      session.set('theme', 'dark')
      expect(await storage.save(session)).toBeNull()
      expect((await storage.read(id)).get('theme')).toBe('dark')
      statements = statements.slice(0, 2)
      expect(statements.map((text) => text.trim().split(/\s/)[0])).toEqual(['SELECT', 'UPDATE'])
    }
    statements = []
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    // One DELETE over the user_id index, then one for logins that were in flight.
    expect(statements).toHaveLength(2)
  })

  it('ends what destroyUserSessions found and what logged in meanwhile, and returns while a client keeps logging in', async () => {
    let table = newTable()
    let deletes = 0
    let storage: ReturnType<typeof createPostgresSessionStorage>
    // Each DELETE of destroyUserSessions is followed by another login of the user.
    let loggingIn: PostgresSessionClient = {
      async run(text, params) {
        let rows = await (sql.unsafe(text, params as string[]) as unknown as ReturnType<
          PostgresSessionClient['run']
        >)
        // At most 20: code that loops until no row is left would otherwise never return.
        if (text.includes('WITH gone AS') && text.includes('user_id') && ++deletes < 20) {
          await savedSession(storage)
        }
        return rows
      },
    }
    storage = createPostgresSessionStorage({ client: loggingIn, table, userKey: 'user' })
    for (let device = 0; device < 3; device++) await savedSession(storage)
    expect(await storage.destroyUserSessions('ada')).toBeGreaterThanOrEqual(3)
    expect(deletes).toBe(2)
    await sql.unsafe(`DELETE FROM ${table}`)
  })

  it('shares sessions between a postgres and a pg client, as separate servers would', async () => {
    let table = newTable()
    let first = new Browser(createPostgresSessionStorage({ client: sql, table }), cookie)
    await first.request((session) => session.set('cart', ['mug']))
    let second = new Browser(createPostgresSessionStorage({ client: pool, table }), cookie)
    second.cookieHeader = first.cookieHeader
    await second.request((session) => expect(session.get('cart')).toEqual(['mug']))
  })
})

describe('createPostgresSessionStorage expiry', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** How many rows `table` holds. */
  async function count(table: string): Promise<number> {
    let [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`)
    return row?.n as number
  }

  it('deletes expired rows with prune(), and keeps the live ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let table = newTable()
    let storage = createPostgresSessionStorage({ client: sql, table, idleTimeout: 600 })
    for (let index = 0; index < 3; index++) await savedSession(storage)
    vi.advanceTimersByTime(500_000)
    let live = await savedSession(storage)
    vi.advanceTimersByTime(200_000)
    expect(await storage.prune()).toBe(3)
    expect(await count(table)).toBe(1)
    expect((await storage.read(live)).get('user')).toBe('ada')
    expect(await storage.prune()).toBe(0)
  })

  it('deletes expired rows as sessions are written, at most once per pruneInterval', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let table = newTable()
    let options = { client: sql, table, idleTimeout: 600, pruneInterval: 3600 }
    let storage = createPostgresSessionStorage(options)
    await savedSession(storage)
    await savedSession(storage)
    vi.advanceTimersByTime(700_000)
    // Expired, but the last batch was deleted less than pruneInterval ago.
    await savedSession(storage)
    expect(await count(table)).toBe(3)
    vi.advanceTimersByTime(3_000_000)
    let last = await savedSession(storage)
    let rows = await sql.unsafe(`SELECT id FROM ${table}`)
    expect(rows.map((row) => row.id)).toEqual([last])
  })
})

describe('createPostgresSessionStorage across processes', () => {
  it('keeps every key when 3 processes each save 40 different keys of one session at once', async () => {
    let table = newTable()
    let storage = createPostgresSessionStorage({ client: sql, table })
    let id = await savedSession(storage)
    let module = fileURLToPath(new URL('./postgres.ts', import.meta.url))
    let script = `
      import postgres from 'postgres'
      import { createPostgresSessionStorage } from ${JSON.stringify(module)}
      let [url, table, id, name] = process.argv.slice(1)
      let sql = postgres(url, { max: 5 })
      let storage = createPostgresSessionStorage({ client: sql, table })
      await Promise.all(Array.from({ length: 40 }, async (_, index) => {
        let session = await storage.read(id)
        session.set(name + index, index)
        // A change between renewals resolves to null (no cookie to send); a failure rejects.
        if ((await storage.save(session)) !== null) throw new Error('not merged')
      }))
      await sql.end()
    `
    let run = (name: string) =>
      new Promise<void>((resolve, reject) => {
        let args = ['--import', 'tsx', '--input-type=module', '-e', script, url, table, id, name]
        execFile(process.execPath, args, { cwd: import.meta.dirname }, (error, _, stderr) =>
          error ? reject(new Error(stderr || String(error))) : resolve(),
        )
      })
    await Promise.all(['a', 'b', 'c'].map(run))
    let session = await storage.read(id)
    expect(session.size).toBe(121)
    expect([session.get('a39'), session.get('b0'), session.get('c20')]).toEqual([39, 0, 20])
  }, 60_000)
})
