import pg from 'pg'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { savedSession } from '../../test/storage-outage.ts'
import type { PostgresClient, PostgresSessionClient } from '../postgres/postgres-client.ts'
import { createTableStatement, sessionTable } from '../postgres/postgres-table.ts'
import { PostgresTimeoutError } from '../postgres/query-timeout.ts'
import { createPostgresSessionStorage } from './postgres.ts'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
// Every run keeps its tables in a schema of its own, dropped at the end.
const schema = `x_session_tables_${process.pid}_${Date.now()}`
const sql = postgres(url, { max: 4, onnotice: () => {} })
const pool = new pg.Pool({ connectionString: url, max: 4 })
await sql.unsafe(`CREATE SCHEMA ${schema}`)

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`)
  await sql.end()
  await pool.end()
})

const clients: [string, PostgresClient][] = [
  ['postgres', sql],
  ['pg', pool],
]

/** A session saved with `user: 'ada'`, and its id. */

/** The first column of each index of `schema.name`. */
async function indexedColumns(name: string): Promise<string[]> {
  let rows = await sql.unsafe(
    `SELECT a.attname::text AS name FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE i.indrelid = to_regclass($1) ORDER BY 1`,
    [`${schema}.${name}`],
  )
  return rows.map((row) => row.name as string)
}

describe('createPostgresSessionStorage table', () => {
  it.each(clients)(
    'refuses an app table of the same name before deleting any of its rows (%s)',
    async (kind, client) => {
      let table = `${schema}.app_sessions_${kind}`
      // expires_at here means something else: a prune would delete these rows.
      await sql.unsafe(`CREATE TABLE ${table} (id text PRIMARY KEY, expires_at bigint, note text)`)
      await sql.unsafe(`INSERT INTO ${table} VALUES ('a', 1, 'keep'), ('b', 2, 'keep')`)
      let storage = createPostgresSessionStorage({ client, table })
      await expect(savedSession(storage)).rejects.toThrow(
        `PostgreSQL table ${table} is not a session table: it has no column vals`,
      )
      await expect(storage.prune()).rejects.toThrow(/is not a session table/)
      await expect(storage.read('A'.repeat(32))).rejects.toThrow(/is not a session table/)
      let [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`)
      expect(row?.n).toBe(2)
    },
  )

  it('refuses a table whose column has another type', async () => {
    let table = `${schema}.typed_sessions`
    await sql.unsafe(`CREATE TABLE ${table} (
      id text PRIMARY KEY, vals jsonb, flash jsonb, created_at bigint, touched_at bigint,
      expires_at timestamptz, retired_until bigint, user_id text)`)
    let storage = createPostgresSessionStorage({ client: sql, table, createTable: false })
    await expect(savedSession(storage)).rejects.toThrow(
      /its column expires_at is timestamp with time zone, not bigint/,
    )
  })

  it('gives a new table its own indexes when a renamed older table holds their names', async () => {
    let first = createPostgresSessionStorage({ client: sql, table: `${schema}.renamed` })
    await savedSession(first)
    await sql.unsafe(`ALTER TABLE ${schema}.renamed RENAME TO renamed_old`)
    let second = createPostgresSessionStorage({ client: pool, table: `${schema}.renamed` })
    let id = await savedSession(second)
    expect((await second.read(id)).get('user')).toBe('ada')
    expect(await indexedColumns('renamed')).toEqual(['expires_at', 'id', 'user_id'])
  })

  it('refuses a table made by the migration SQL whose index names another table held', async () => {
    let first = createPostgresSessionStorage({ client: sql, table: `${schema}.migrated` })
    await savedSession(first)
    await sql.unsafe(`ALTER TABLE ${schema}.migrated RENAME TO migrated_old`)
    // IF NOT EXISTS skips both indexes: their names are taken.
    await sql.unsafe(`CREATE TABLE ${schema}.migrated (LIKE ${schema}.migrated_old)`)
    await sql.unsafe(`ALTER TABLE ${schema}.migrated ADD PRIMARY KEY (id)`)
    let storage = createPostgresSessionStorage({ client: sql, table: `${schema}.migrated` })
    await expect(savedSession(storage)).rejects.toThrow(/has no index on expires_at/)
  })

  it('takes one lock for a table named two ways, schema.sessions and sessions', async () => {
    let client = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema } })
    let storage = createPostgresSessionStorage({ client, table: 'spelled' })
    let saving: Promise<string> | undefined
    try {
      // Another process creates the table under its qualified name, holding the lock it takes.
      await sql.begin(async (tx) => {
        await tx.unsafe(createTableStatement(sessionTable(`${schema}.spelled`)))
        saving = savedSession(storage)
        saving.catch(() => {})
        // Until the storage's statement waits on a lock this transaction holds.
        for (let attempt = 0; ; attempt++) {
          let [row] = await sql.unsafe('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted')
          if (row?.n > 0) break
          if (attempt === 1000) throw new Error('the storage never waited')
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      })
      // Before: it waited on the table's catalog row, not the lock, then failed (duplicate key).
      let id = await (saving as Promise<string>)
      expect((await storage.read(id)).get('user')).toBe('ada')
    } finally {
      await client.end()
    }
  })

  it('tries the table creation again when it hung on a stuck connection', async () => {
    let creations = 0
    // The first creation statement goes to a connection that never answers.
    let stuckOnce: PostgresSessionClient = {
      run(text, params) {
        if (text.startsWith('DO ') && ++creations === 1) return new Promise(() => {})
        return sql.unsafe(text, params as string[]) as unknown as ReturnType<
          PostgresSessionClient['run']
        >
      },
    }
    let storage = createPostgresSessionStorage({
      client: stuckOnce,
      table: `${schema}.stuck`,
      queryTimeout: 200,
    })
    await expect(storage.read('A'.repeat(32))).rejects.toThrow(PostgresTimeoutError)
    // Before: every later statement waited on the first creation, and timed out too.
    let id = await savedSession(storage)
    expect((await storage.read(id)).get('user')).toBe('ada')
    expect(creations).toBe(2)
  })
})
