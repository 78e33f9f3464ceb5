/**
 * Runs tasks one at a time per key, in the order they were queued, within this process: the
 * unstorage storage's writes and deletes, and `prune()`'s check-then-delete of one item.
 */
export class KeyLock {
  #tails = new Map<string, Promise<unknown>>()

  /** Runs `task` once every task queued for `key` before it has settled; resolves to its result. */
  async run<Result>(key: string, task: () => Promise<Result>): Promise<Result> {
    let previous = this.#tails.get(key) ?? Promise.resolve()
    let current = previous.then(task, task)
    let settled = current.catch(() => {})
    this.#tails.set(key, settled)
    try {
      return await current
    } finally {
      if (this.#tails.get(key) === settled) this.#tails.delete(key)
    }
  }
}
