import { createPostgresSessionStorage } from '@x/session/postgres-storage'
import pg from 'pg'
import postgres from 'postgres'
import { databaseUrl } from './config.ts'
import type { StorageContender } from './storage-contender.ts'

/**
 * Our PostgreSQL storage through each client it accepts (postgres.js and a node-postgres `Pool`)
 * on the PostgreSQL at `DATABASE_URL`, each on a table of its own, `bench_sessions_<client>`:
 * dropped first (left over from an interrupted run) and when the storage is closed. The storage
 * creates it at its first statement.
 */
export const postgresContenders: readonly StorageContender[] = [
  {
    name: 'ours PostgreSQL (postgres.js)',
    async open() {
      let sql = postgres(databaseUrl, { max: 4, onnotice: () => {} })
      let drop = () => sql.unsafe('DROP TABLE IF EXISTS bench_sessions_postgres_js')
      await drop()
      let storage = createPostgresSessionStorage({
        client: sql,
        table: 'bench_sessions_postgres_js',
      })
      return {
        storage,
        async close() {
          await drop()
          await sql.end()
        },
      }
    },
  },
  {
    name: 'ours PostgreSQL (pg Pool)',
    async open() {
      let pool = new pg.Pool({ connectionString: databaseUrl, max: 4 })
      let drop = () => pool.query('DROP TABLE IF EXISTS bench_sessions_pg')
      await drop()
      let storage = createPostgresSessionStorage({ client: pool, table: 'bench_sessions_pg' })
      return {
        storage,
        async close() {
          await drop()
          await pool.end()
        },
      }
    },
  },
]
