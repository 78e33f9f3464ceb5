import pg from 'pg'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import type { PostgresClient, PostgresSessionClient } from '../postgres/postgres-client.ts'
import { SessionUserError } from '../session-user-error.ts'
import { createPostgresSessionStorage } from './postgres.ts'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
// Every run keeps its tables in a schema of its own, dropped at the end.
const schema = `x_session_users_${process.pid}_${Date.now()}`
const sql = postgres(url, { max: 4, onnotice: () => {} })
await sql.unsafe(`CREATE SCHEMA ${schema}`)
let tables = 0

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`)
  await sql.end()
})

/** A table name no other test uses. */
function newTable(): string {
  return `${schema}.sessions_${++tables}`
}

/** How many rows of `table` name `user`. */
async function rowsOf(table: string, user: string): Promise<number> {
  let [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [user])
  return row?.n as number
}

/** `count` pools of one library, as many app processes would have, and how to close them. */
function pools(kind: string, count: number): { clients: PostgresClient[]; end(): Promise<void> } {
  if (kind === 'postgres') {
    let clients = Array.from({ length: count }, () => postgres(url, { max: 3, onnotice: () => {} }))
    return { clients, end: async () => void (await Promise.all(clients.map((c) => c.end()))) }
  }
  let clients = Array.from({ length: count }, () => new pg.Pool({ connectionString: url, max: 3 }))
  return { clients, end: async () => void (await Promise.all(clients.map((c) => c.end()))) }
}

describe('createPostgresSessionStorage maxSessionsPerUser', () => {
  it.each(['postgres', 'pg'])(
    'keeps the cap and fails no login when 24 logins of one user save at once from 8 pools (%s)',
    async (kind) => {
      let table = newTable()
      let { clients, end } = pools(kind, 8)
      try {
        let storages = clients.map((client) =>
          createPostgresSessionStorage({ client, table, userKey: 'userId', maxSessionsPerUser: 2 }),
        )
        let rejected = 0
        let maxLive = 0
        for (let round = 0; round < 5; round++) {
          let results = await Promise.allSettled(
            Array.from({ length: 24 }, async (_, index) => {
              let storage = storages[index % storages.length] as (typeof storages)[number]
              let session = await storage.read(null)
              session.set('userId', 'ada')
              return storage.save(session)
            }),
          )
          rejected += results.filter((result) => result.status === 'rejected').length
          maxLive = Math.max(maxLive, await rowsOf(table, 'ada'))
        }
        // Before: deadlocks (40P01) rejected about half the logins, and their rows stayed. Each
        // cap DELETE sees the rows as they were when its statement began, so racing logins may
        // leave the user under the cap (documented), never over it.
        expect(rejected).toBe(0)
        expect(maxLive).toBeLessThanOrEqual(2)
        expect(maxLive).toBeGreaterThanOrEqual(1)
      } finally {
        await end()
      }
    },
    60_000,
  )
})

describe('createPostgresSessionStorage user_id', () => {
  it('keeps the user a concurrent save set back while a save that changed it finishes', async () => {
    let table = newTable()
    let plain = createPostgresSessionStorage({ client: sql, table, userKey: 'userId' })
    let first = await plain.read(null)
    first.set('userId', 'u1')
    let id = (await plain.save(first)) as string
    let other: (() => Promise<void>) | undefined
    // Right after request 1's UPDATE commits, request 2 reads the session and sets u1 back.
    let pausing: PostgresSessionClient = {
      async run(text, params) {
        let rows = (await sql.unsafe(text, params as string[])) as unknown as Awaited<
          ReturnType<PostgresSessionClient['run']>
        >
        let hook = other
        if (hook !== undefined && text.trim().startsWith('UPDATE')) {
          other = undefined
          await hook()
        }
        return rows
      },
    }
    let storage = createPostgresSessionStorage({ client: pausing, table, userKey: 'userId' })
    let request1 = await storage.read(id)
    other = async () => {
      let request2 = await plain.read(id)
      expect(request2.get('userId')).toBe('u2')
      request2.set('userId', 'u1')
      expect(await plain.save(request2)).toBe(id)
    }
    request1.set('userId', 'u2')
    expect(await storage.save(request1)).toBe(id)
    expect(other).toBeUndefined()
    // Before: request 1 then cleared user_id, so u1 could not be signed out (0).
    expect(await plain.destroyUserSessions('u1')).toBe(1)
    expect((await plain.read(id)).size).toBe(0)
  })

  it.each(['a\0b', '\uD800', 'x\uDC00'])(
    'refuses a user %j PostgreSQL cannot store with a SessionUserError, writing nothing',
    async (user) => {
      let table = newTable()
      let storage = createPostgresSessionStorage({ client: sql, table, userKey: 'userId' })
      // Sent as it is, a lone surrogate reaches PostgreSQL as U+FFFD: another user's name.
      let bystander = await storage.read(null)
      bystander.set('userId', '\uFFFD')
      await storage.save(bystander)
      let session = await storage.read(null)
      session.set('userId', user)
      await expect(storage.save(session)).rejects.toThrow(SessionUserError)
      // A lone surrogate names no user anywhere (every storage refuses it); NUL, PostgreSQL only.
      if (user === 'a\0b') expect(await storage.destroyUserSessions(user)).toBe(0)
      else await expect(storage.destroyUserSessions(user)).rejects.toThrow(TypeError)
      expect(await rowsOf(table, '\uFFFD')).toBe(1)
      let [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`)
      expect(row?.n).toBe(1)
    },
  )

  it.each(['a\0b', '\uD800'])(
    'refuses a key %j PostgreSQL cannot store before any statement',
    async (key) => {
      let statements = 0
      let counting: PostgresSessionClient = {
        run(text, params) {
          statements++
          return sql.unsafe(text, params as string[]) as unknown as ReturnType<
            PostgresSessionClient['run']
          >
        },
      }
      let storage = createPostgresSessionStorage({ client: counting, table: newTable() })
      let session = await storage.read(null)
      session.set(key, 1)
      await expect(storage.save(session)).rejects.toThrow(/holds NUL or a lone surrogate/)
      let flash = await storage.read(null)
      flash.flash(key, 1)
      await expect(storage.save(flash)).rejects.toThrow(SessionUserError)
      expect(statements).toBe(0)
    },
  )
})
