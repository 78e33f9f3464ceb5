/** One row of a result, every column selected as text (or `null`). */
export type PostgresRow = Record<string, string | null>

/**
 * The one operation the PostgreSQL session storage needs: run a single SQL statement with
 * positional parameters (`$1`, `$2`, ...) and resolve to its rows. The storage ships adapters for
 * `postgres` (porsager) and `pg` and picks one from the client it is given; implement this
 * interface to use any other client. Every statement the storage sends is atomic on its own: it
 * never needs a transaction spanning several calls, so a pool may run each on any connection.
 */
export interface PostgresSessionClient {
  /**
   * Runs `text` with `params` (strings, or `null` for SQL `NULL`) and resolves to its rows, each
   * column as a string (the storage casts what it selects to `text`). Rejects for any failure.
   */
  run(text: string, params: readonly (string | null)[]): Promise<PostgresRow[]>
}

/** The part of a `pg` `Pool`, `Client` or `PoolClient` the storage uses. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
}

/** The part of a `postgres` (porsager) `sql` instance the storage uses. */
export interface PostgresJsSql {
  unsafe(text: string, parameters?: never[]): PromiseLike<unknown>
}

/** A client the PostgreSQL storage accepts: `postgres`, `pg`, or its own small contract. */
export type PostgresClient = PostgresJsSql | PgQueryable | PostgresSessionClient

/**
 * The {@link PostgresSessionClient} for a client given to the storage, told apart by its methods
 * (neither library is imported): a `postgres` `sql` has `unsafe`, a `pg` pool or client `query`.
 *
 * @throws {TypeError} for anything else.
 */
export function adaptPostgresClient(client: unknown): PostgresSessionClient {
  let candidate = client as Partial<PostgresJsSql & PgQueryable & PostgresSessionClient> | null
  if (candidate !== null && (typeof client === 'object' || typeof client === 'function')) {
    if (typeof candidate.run === 'function') return candidate as PostgresSessionClient
    if (typeof candidate.unsafe === 'function') {
      let sql = candidate as PostgresJsSql
      return {
        run: async (text, params) =>
          (await sql.unsafe(text, params as never[])) as unknown as PostgresRow[],
      }
    }
    if (typeof candidate.query === 'function') {
      let pg = candidate as PgQueryable
      return {
        run: async (text, params) => (await pg.query(text, [...params])).rows as PostgresRow[],
      }
    }
  }
  throw new TypeError(
    'createPostgresSessionStorage(): `client` must be a `postgres` sql instance, a `pg` Pool or Client, or implement PostgresSessionClient',
  )
}
