import { DeadlineQueue } from './deadline-queue.ts'
import type { RedisSessionClient } from './redis-client.ts'

/** The error a command rejects with when Redis does not answer within the command timeout. */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError'
}

/**
 * The deadlines of commands that time out `ms` milliseconds after they are sent; `undefined` for
 * `Infinity` (no timeout).
 */
export function commandDeadlines(ms: number): DeadlineQueue | undefined {
  return ms === Number.POSITIVE_INFINITY ? undefined : new DeadlineQueue(ms)
}

/**
 * What `onReply` makes of the reply `task` resolves to (by default the reply itself; when `task`
 * rejects, what `onError` makes of the error, by default the error itself), or a rejection with a
 * {@link RedisTimeoutError} when `task` has not settled within the deadlines' `ms` (never without
 * deadlines). One promise settled by whichever comes first, where `task.then(onReply, onError)`
 * raced against a timeout would take three: two commands run on every session request. Once timed
 * out, a late reply or error is dropped: neither `onReply` nor `onError` runs for it.
 */
export function withinDeadline<Reply, Result = Reply>(
  deadlines: DeadlineQueue | undefined,
  command: string,
  task: Promise<Reply>,
  onReply?: (reply: Reply) => Result | Promise<Result>,
  onError?: (error: unknown) => Result | Promise<Result>,
): Promise<Result> {
  if (deadlines === undefined) return task.then(onReply, onError) as Promise<Result>
  return new Promise<Result>((resolve, reject) => {
    let timedOut = false
    let deadline = deadlines.add(() => {
      timedOut = true
      reject(new RedisTimeoutError(`Redis did not answer ${command} within ${deadlines.ms} ms`))
    })
    task.then(
      (reply) => {
        // Too late: the caller was told the command timed out. Nothing more is done for it (no
        // EVAL after a late NOSCRIPT), and nothing is left to reject unhandled.
        if (timedOut) return
        deadlines.settle(deadline)
        if (onReply === undefined) resolve(reply as unknown as Result)
        else settleWith(resolve, reject, onReply, reply)
      },
      (error: unknown) => {
        if (timedOut) return
        deadlines.settle(deadline)
        if (onError === undefined) reject(error)
        else settleWith(resolve, reject, onError, error)
      },
    )
  })
}

/** Resolves to `map(value)`, or rejects with what it throws. */
function settleWith<Value, Result>(
  resolve: (result: Result | Promise<Result>) => void,
  reject: (error: unknown) => void,
  map: (value: Value) => Result | Promise<Result>,
  value: Value,
): void {
  try {
    resolve(map(value))
  } catch (error) {
    reject(error)
  }
}

/**
 * Wraps `client` so that each command rejects with a {@link RedisTimeoutError} when Redis has not
 * answered within `ms` milliseconds (a stalled server, a dead peer the socket has not noticed).
 * The command itself is not cancelled: a stalled Redis may still apply it when it resumes.
 * `Infinity` returns `client` unchanged. Every command in flight shares one timer
 * ({@link DeadlineQueue}).
 */
export function withCommandTimeout(client: RedisSessionClient, ms: number): RedisSessionClient {
  let deadlines = commandDeadlines(ms)
  if (deadlines === undefined) return client
  return {
    cluster: client.cluster,
    hgetall: (key) => withinDeadline(deadlines, 'HGETALL', client.hgetall(key)),
    evalScript: (script, sha1, keys, args) =>
      withinDeadline(deadlines, 'a script', client.evalScript(script, sha1, keys, args)),
    close: client.close && (() => (client.close as () => Promise<void>)()),
  }
}
