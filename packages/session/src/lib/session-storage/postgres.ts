import {
  adaptPostgresClient,
  type PostgresClient,
  type PostgresSessionClient,
} from '../postgres/postgres-client.ts'
import { PostgresRecords } from '../postgres/postgres-records.ts'
import { sessionTable, withTable } from '../postgres/postgres-table.ts'
import { withQueryTimeout } from '../postgres/query-timeout.ts'
import {
  type ServerSessionStorage,
  ServerStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionSchema } from '../session-schema.ts'

/** Options for {@link createPostgresSessionStorage}. */
export interface PostgresSessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ServerStorageOptions<Schema> {
  /**
   * The connection the app shares: a `postgres` (porsager) `sql` instance, a `pg` `Pool` (or
   * `Client`), or any {@link PostgresSessionClient}. Neither library is imported by the storage:
   * install the one you use. The storage never closes it.
   */
  client: PostgresClient
  /**
   * The table sessions are kept in: `sessions`, or schema-qualified, `auth.sessions`. Each part is
   * quoted as given (`Sessions` is another table). Default `'sessions'`. Before its first
   * statement the storage checks that the table has the columns (with their types) and indexes
   * `postgresSessionTableSql` creates; every statement rejects with an `Error` naming the problem
   * for any other table (an app's own `sessions`), which the storage never writes or prunes.
   *
   * @throws {TypeError} (from the factory) unless each part starts with a letter or `_` and holds
   * only letters, digits and `_` (at most 48 characters).
   */
  table?: string
  /**
   * Create the table and its indexes at the first statement when the table does not exist (one
   * `DO` block; concurrent first requests, in many processes, take turns on an advisory lock).
   * `false` when a migration creates it: run the SQL of `postgresSessionTableSql(table)`. The
   * app's role then needs no `CREATE` privilege. Default `true`. The creation runs within
   * `queryTimeout`; when it fails or times out, the next statement tries again.
   */
  createTable?: boolean
  /**
   * Milliseconds each statement may take before `read`, `save` or `destroyUserSessions` rejects
   * with a `PostgresTimeoutError` (the session middleware then answers `503`): a stalled server or
   * an exhausted pool fails requests within this time instead of holding them. The statement is
   * not cancelled: a save that timed out may still be applied later. Default `5000`; `Infinity`
   * turns it off.
   *
   * @throws {TypeError} (from the factory) unless a positive number.
   */
  queryTimeout?: number
  /**
   * Seconds between two batches of expired rows deleted as sessions are written: a save, at most
   * once per this time in each process, first deletes up to 1,000 rows whose `expires_at` has
   * passed (by the app's clock), over the index on `expires_at`, skipping rows other statements
   * hold. Reads never return an expired session either way; this frees the table. Default `60`;
   * `Infinity` leaves it to `prune()`.
   *
   * @throws {TypeError} (from the factory) unless a positive number.
   */
  pruneInterval?: number
}

/** A PostgreSQL-backed session storage, with a way to delete every expired row. */
export type PostgresSessionStorage<Schema extends SessionSchema = SessionSchema> =
  ServerSessionStorage<Schema> & {
    /**
     * Deletes every row expired by now (the app's clock), 1,000 per statement, and resolves to how
     * many it deleted. Saves already delete a batch now and then (`pruneInterval`); run this from a
     * timer or a cron job when sessions are written rarely.
     */
    prune(): Promise<number>
  }

/**
 * Keeps each session in a row of a PostgreSQL table: one JSON key per value, so a save writes only
 * what the request changed, merged by PostgreSQL in one atomic `UPDATE`. Processes that share the
 * database share sessions, and concurrent requests, from any process, that change different keys
 * all persist (the same key: the last save wins). With `userKey`, the row's indexed `user_id`
 * column is the user index: `destroyUserSessions` is a `DELETE` over it. A read is one statement,
 * a save one (plus one now and then to delete expired rows, and one for `maxSessionsPerUser` when
 * a user logs in). When PostgreSQL is unreachable or stalls, `read` and `save` reject (within
 * `queryTimeout`; the session middleware answers `503`); they succeed again once it is back.
 * A corrupt row reads as a fresh session.
 *
 * @example
 * import postgres from 'postgres'
 * const storage = createPostgresSessionStorage({ client: postgres(process.env.DATABASE_URL) })
 * @example
 * import pg from 'pg'
 * const storage = createPostgresSessionStorage({ client: new pg.Pool() })
 * @throws {TypeError} for a `client` that is neither `postgres`, `pg` nor a
 * {@link PostgresSessionClient}, an invalid `table`, `queryTimeout` or `pruneInterval`, or invalid
 * storage options.
 */
export function createPostgresSessionStorage<Schema extends SessionSchema = SessionSchema>(
  options: PostgresSessionStorageOptions<Schema>,
): PostgresSessionStorage<Schema> {
  let table = sessionTable(options.table ?? 'sessions')
  let timeout = positive('queryTimeout', options.queryTimeout ?? 5000)
  let pruneMs = positive('pruneInterval', options.pruneInterval ?? 60) * 1000
  // The timeout applies to each statement, the table's creation and check too: a creation stuck on
  // one connection fails in time and is tried again, instead of holding every later statement.
  let timed = withQueryTimeout(adaptPostgresClient(options.client), timeout)
  let client: PostgresSessionClient = withTable(timed, table, options.createTable ?? true)
  let records = new PostgresRecords(client, table, pruneMs)
  let storage = new ServerStorage(records, options as ServerStorageOptions)
  let prune = async () => {
    let now = Date.now()
    let total = 0
    for (;;) {
      let deleted = await records.prune(now)
      total += deleted
      if (deleted < PostgresRecords.pruneBatch) return total
    }
  }
  return Object.assign(storage, { prune }) as unknown as PostgresSessionStorage<Schema>
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new TypeError(`${name} must be a positive number, got ${value}`)
  }
  return value
}
