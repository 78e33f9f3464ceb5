import type { PostgresSessionClient } from './postgres-client.ts'

/** The error a statement rejects with when PostgreSQL does not answer within `queryTimeout`. */
export class PostgresTimeoutError extends Error {
  override name = 'PostgresTimeoutError'
}

/**
 * Wraps `client` so that each statement rejects with a {@link PostgresTimeoutError} when it has not
 * answered within `ms` milliseconds (a stalled server, a dead peer, a pool with no free
 * connection). The statement itself is not cancelled: a stalled server may still apply it when it
 * resumes. `Infinity` returns `client` unchanged.
 */
export function withQueryTimeout(client: PostgresSessionClient, ms: number): PostgresSessionClient {
  if (ms === Number.POSITIVE_INFINITY) return client
  return {
    run(text, params) {
      let timer: ReturnType<typeof setTimeout> | undefined
      let expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new PostgresTimeoutError(`PostgreSQL did not answer within ${ms} ms`)),
          ms,
        )
      })
      return Promise.race([client.run(text, params), expired]).finally(() => clearTimeout(timer))
    },
  }
}
