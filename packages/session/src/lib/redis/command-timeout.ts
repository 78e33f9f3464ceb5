import { DeadlineQueue } from './deadline-queue.ts'
import type { RedisSessionClient } from './redis-client.ts'

/** The error a command rejects with when Redis does not answer within the command timeout. */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError'
}

/**
 * Wraps `client` so that each command rejects with a {@link RedisTimeoutError} when Redis has not
 * answered within `ms` milliseconds (a stalled server, a dead peer the socket has not noticed).
 * The command itself is not cancelled: a stalled Redis may still apply it when it resumes.
 * `Infinity` returns `client` unchanged. Every command in flight shares one timer
 * ({@link DeadlineQueue}).
 */
export function withCommandTimeout(client: RedisSessionClient, ms: number): RedisSessionClient {
  if (ms === Number.POSITIVE_INFINITY) return client
  let deadlines = new DeadlineQueue(ms)
  // One promise settled by whichever comes first, rather than Promise.race and finally: a save
  // runs two commands, and each promise less is work on every request.
  function limit<Result>(command: string, task: Promise<Result>): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let deadline = deadlines.add(() =>
        reject(new RedisTimeoutError(`Redis did not answer ${command} within ${ms} ms`)),
      )
      task.then(
        (result) => {
          deadlines.settle(deadline)
          resolve(result)
        },
        (error: unknown) => {
          deadlines.settle(deadline)
          reject(error)
        },
      )
    })
  }
  return {
    cluster: client.cluster,
    hgetall: (key) => limit('HGETALL', client.hgetall(key)),
    evalScript: (script, sha1, keys, args) =>
      limit('a script', client.evalScript(script, sha1, keys, args)),
    close: client.close && (() => (client.close as () => Promise<void>)()),
  }
}
