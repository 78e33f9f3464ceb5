import type { PostgresSessionClient } from './postgres-client.ts'
import { checkTableShape } from './table-shape.ts'

// One part of a table name: a plain SQL identifier, short enough that `<name>_expires_at_idx` fits
// PostgreSQL's 63 bytes.
const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/

/** A checked table name: quoted for SQL, and its parts for index names and locks. */
export interface SessionTable {
  /** The name as given: `sessions` or `schema.sessions`. */
  name: string
  /** The name quoted for SQL: `"sessions"` or `"schema"."sessions"`. */
  sql: string
  /** The table's own name, unquoted, for its index names. */
  base: string
}

/**
 * Checks a table name (`sessions`, or `schema.sessions`) and quotes it: each part is quoted as
 * given, so `Sessions` and `sessions` are two tables.
 *
 * @throws {TypeError} unless each part starts with a letter or `_`, holds only letters, digits
 * and `_`, and is at most 48 characters long.
 */
export function sessionTable(name: string): SessionTable {
  let parts = typeof name === 'string' ? name.split('.') : []
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => identifier.test(part))) {
    throw new TypeError(
      `table must be a table name, optionally schema-qualified (letters, digits and _, at most 48 characters each), got ${String(name)}`,
    )
  }
  return {
    name,
    sql: parts.map((part) => `"${part}"`).join('.'),
    base: parts[parts.length - 1] as string,
  }
}

/**
 * The SQL that creates the session table `name` (default `sessions`) and its indexes, for a
 * migration tool; each statement is `IF NOT EXISTS`, so running it again changes nothing. Times
 * are milliseconds since the epoch; `expires_at` is `NULL` for a session that never expires.
 *
 * @throws {TypeError} for an invalid table name (see the `table` option).
 */
export function postgresSessionTableSql(name = 'sessions'): string {
  let table = sessionTable(name)
  return `CREATE TABLE IF NOT EXISTS ${table.sql} (
  id text PRIMARY KEY,
  vals jsonb NOT NULL DEFAULT '{}',
  flash jsonb NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  touched_at bigint NOT NULL,
  expires_at bigint,
  retired_until bigint,
  user_id text
);
CREATE INDEX IF NOT EXISTS "${table.base}_expires_at_idx" ON ${table.sql} (expires_at);
CREATE INDEX IF NOT EXISTS "${table.base}_user_id_idx" ON ${table.sql} (user_id) WHERE user_id IS NOT NULL;
`
}

/**
 * SQL text naming the table as PostgreSQL resolves it when creating it: a schema-qualified name as
 * it is, an unqualified one in `current_schema()` (where `CREATE TABLE` puts it), so `sessions` and
 * `public.sessions` take one advisory lock.
 */
function resolvedName(table: SessionTable): string {
  if (table.name.includes('.')) return `'${table.sql}'`
  // Quoted as sessionTable quotes a schema (quote_ident leaves a plain name bare).
  return `'"' || coalesce(current_schema(), '') || '".' || '${table.sql}'`
}

/**
 * One statement that creates the table and its indexes unless the table exists, safe when many
 * processes start at once: they take turns on an advisory lock (plain `CREATE TABLE IF NOT
 * EXISTS` run concurrently can fail with a duplicate key error), and one that finds the table
 * creates nothing, so the app's role needs no `CREATE` privilege once the table is there. The
 * indexes are left for PostgreSQL to name (`<table>_expires_at_idx`, with a digit appended when an
 * index of a renamed older table holds that name), so a new table always gets its own.
 */
export function createTableStatement(table: SessionTable): string {
  let body = postgresSessionTableSql(table.name).split('\n')
  let createTable = body.slice(0, body.indexOf(');') + 1).join('\n')
  return `DO $session_table$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('x-session table ' || ${resolvedName(table)}));
  IF to_regclass('${table.sql}') IS NULL THEN
${createTable}
CREATE INDEX ON ${table.sql} (expires_at);
CREATE INDEX ON ${table.sql} (user_id) WHERE user_id IS NOT NULL;
  END IF;
END
$session_table$`
}

/**
 * Wraps `client` so that the first statement first creates the table (with `create`) and checks
 * that it is a session table (see {@link checkTableShape}), once, however many statements arrive
 * before that is done. No statement, a prune's `DELETE` least of all, ever runs on a table that
 * failed the check. After a failure (an I/O error, the creation statement timing out on a stuck
 * connection, a foreign table) nothing is kept: the next statement tries again, on whatever
 * connection the pool gives it.
 */
export function withTable(
  client: PostgresSessionClient,
  table: SessionTable,
  create: boolean,
): PostgresSessionClient {
  let ready: Promise<unknown> | undefined
  let prepare = async () => {
    if (create) await client.run(createTableStatement(table), [])
    await checkTableShape(client, table)
  }
  let ensure = () => {
    ready ??= prepare().catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }
  return {
    async run(text, params) {
      await ensure()
      return client.run(text, params)
    },
  }
}
