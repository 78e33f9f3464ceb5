/**
 * The few Redis operations the session storage needs: one command and scripts. The storage ships
 * adapters for ioredis and node-redis and picks one from the client it is given; implement this
 * interface to use any other client.
 */
export interface RedisSessionClient {
  /**
   * Every field of the hash at `key`, as strings: `{}` when there is no such key. Rejects (with
   * Redis's `WRONGTYPE` error) when the key holds something other than a hash.
   */
  hgetall(key: string): Promise<Record<string, string>>
  /**
   * Runs a Lua script: `EVALSHA sha1`, and `EVAL script` when Redis answers `NOSCRIPT` (it has not
   * cached the script yet). Resolves to the script's reply: integers as numbers, arrays as arrays
   * of strings. A save answered otherwise (a client that maps integers to strings, say) fails with
   * an `Error` rather than being read as a session gone.
   */
  evalScript(script: string, sha1: string, keys: string[], args: string[]): Promise<unknown>
  /**
   * `true` for Redis Cluster: keys of different hash slots then never share a script, at the cost
   * of a second command when a save also updates a user's index. Default `false`.
   */
  readonly cluster?: boolean
  /**
   * Ends the connection, called by the storage's `close()`. Adapters implement it only for the
   * connection the storage opened itself from `url`: a client you give stays open.
   */
  close?(): Promise<void>
}

/**
 * `attempt` (an `EVALSHA`), or, when it rejects because Redis has not cached the script
 * (`NOSCRIPT`: a restart, a `SCRIPT FLUSH`, a new replica), `runEval()` (the same call as `EVAL`,
 * which caches it). Any other rejection passes through.
 */
export function evalOnNoScript(
  attempt: Promise<unknown>,
  runEval: () => Promise<unknown>,
): Promise<unknown> {
  return attempt.then(undefined, (error: unknown) => {
    if (!isNoScript(error)) throw error
    return runEval()
  })
}

/** Whether `error` is Redis's `NOSCRIPT`: it has not cached the script an `EVALSHA` named. */
export function isNoScript(error: unknown): boolean {
  return String(error).includes('NOSCRIPT')
}
