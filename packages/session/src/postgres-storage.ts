export type {
  PgQueryable,
  PostgresClient,
  PostgresJsSql,
  PostgresRow,
  PostgresSessionClient,
} from './lib/postgres/postgres-client.ts'
export { postgresSessionTableSql } from './lib/postgres/postgres-table.ts'
export { PostgresTimeoutError } from './lib/postgres/query-timeout.ts'
export type {
  PostgresSessionStorage,
  PostgresSessionStorageOptions,
} from './lib/session-storage/postgres.ts'
export { createPostgresSessionStorage } from './lib/session-storage/postgres.ts'
