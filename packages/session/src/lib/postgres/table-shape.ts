import type { PostgresSessionClient } from './postgres-client.ts'
import type { SessionTable } from './postgres-table.ts'

/** The columns of a session table and their types, as `format_type` spells them. */
const columns: Record<string, string> = {
  id: 'text',
  vals: 'jsonb',
  flash: 'jsonb',
  created_at: 'bigint',
  touched_at: 'bigint',
  expires_at: 'bigint',
  retired_until: 'bigint',
  user_id: 'text',
}

/** The columns that must lead an index of the table: `id` a unique one (its primary key). */
const indexed = ['id', 'expires_at', 'user_id']

/**
 * Checks that `table` is a session table: it exists, has every column `postgresSessionTableSql`
 * creates with its type (other columns are allowed), and indexes on `id` (unique), `expires_at`
 * and `user_id`. An app table of the same name (`sessions` holding something else, with an
 * `expires_at` of another meaning) is refused before the storage runs any statement on it.
 *
 * @throws {Error} naming the table and what is wrong with it; rejects with the client's error for
 * an I/O failure.
 */
export async function checkTableShape(
  client: PostgresSessionClient,
  table: SessionTable,
): Promise<void> {
  let rows = await client.run(
    `SELECT 'column' AS kind, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS detail
    FROM pg_attribute a
    WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'index', a.attname::text, i.indisunique::text
    FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE i.indrelid = to_regclass($1) AND i.indisvalid`,
    [table.sql],
  )
  let problem = shapeProblem(rows)
  if (problem !== undefined) {
    throw new Error(
      `PostgreSQL table ${table.name} ${problem}. The session storage uses only a table of the shape postgresSessionTableSql() creates: pass another \`table\` name, or create it with that SQL.`,
    )
  }
}

/** What is wrong with a table, given its columns and indexes; `undefined` when nothing is. */
function shapeProblem(rows: readonly Record<string, string | null>[]): string | undefined {
  if (rows.length === 0) return 'does not exist'
  let found = new Map<string, string | null>()
  let indexes = new Map<string, boolean>()
  for (let row of rows) {
    let name = row.name ?? ''
    if (row.kind === 'column') found.set(name, row.detail ?? null)
    else indexes.set(name, indexes.get(name) === true || row.detail === 'true')
  }
  for (let [name, type] of Object.entries(columns)) {
    let actual = found.get(name)
    if (actual === undefined) return `is not a session table: it has no column ${name}`
    if (actual !== type) {
      return `is not a session table: its column ${name} is ${actual}, not ${type}`
    }
  }
  for (let name of indexed) {
    if (!indexes.has(name)) {
      return `has no index on ${name} (its name may be held by an index of another table, a renamed older one)`
    }
  }
  if (indexes.get('id') !== true) return 'has no unique index (primary key) on id'
  return undefined
}
