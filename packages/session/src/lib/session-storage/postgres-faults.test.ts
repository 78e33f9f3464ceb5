import { eventually, PostgresServer, withServer } from '@x/test-kit'
import pg from 'pg'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { outageAndRecovery, savedSession } from '../../test/storage-outage.ts'
import type { PostgresClient } from '../postgres/postgres-client.ts'
import { PostgresTimeoutError } from '../postgres/query-timeout.ts'
import { createPostgresSessionStorage } from './postgres.ts'

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

describe('createPostgresSessionStorage when PostgreSQL goes away', () => {
  it.each(['postgres', 'pg'])(
    'fails while the server is down, then works again without a restart, sessions intact (%s)',
    async (kind) => {
      await withServer(PostgresServer, async (server) => {
        let { client, end } = connect(kind, server.url)
        let storage = createPostgresSessionStorage({ client })
        let id = await savedSession(storage)
        let session = await outageAndRecovery(storage, server, id)
        expect(session.get('user')).toBe('ada')
        session.set('cart', ['mug'])
        // Saved between renewals: nothing to send, the cookie (the id) stays as it is.
        expect(await storage.save(session)).toBeNull()
        expect((await storage.read(id)).get('cart')).toEqual(['mug'])
        await end()
      })
    },
    60_000,
  )

  it('creates the table at the first statement after an outage at startup', async () => {
    await withServer(PostgresServer, async (server) => {
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
      await withServer(PostgresServer, async (server) => {
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
        expect(await storage.save(session)).toBeNull()
        expect((await storage.read(id)).get('cart')).toEqual(['mug'])
        await end()
      })
    },
    60_000,
  )
})
