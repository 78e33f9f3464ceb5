/**
 * Runs tasks one at a time per key, in the order they were queued, within this process: the
 * server storages' per-session and per-index locks, and the unstorage storage's writes, deletes
 * and `prune()` checks.
 */
export class KeyLock {
  #tails = new Map<string, Promise<unknown>>()

  /** Runs `task` once every task queued for `key` before it has settled; resolves to its result. */
  async run<Result>(key: string, task: () => Promise<Result>): Promise<Result> {
    let previous = this.#tails.get(key)
    // Nothing queued: start at once, without waiting a turn of the microtask queue.
    let current = previous === undefined ? start(task) : previous.then(task, task)
    let settled = current.catch(() => {})
    this.#tails.set(key, settled)
    try {
      return await current
    } finally {
      if (this.#tails.get(key) === settled) this.#tails.delete(key)
    }
  }

  /**
   * Runs `task` holding every key of `keys`, taken one after another in sorted order, so two
   * callers that share keys never wait for each other in a cycle.
   */
  runAll<Result>(keys: readonly string[], task: () => Promise<Result>): Promise<Result> {
    let sorted = [...new Set(keys)].sort()
    let hold = (index: number): Promise<Result> => {
      let key = sorted[index]
      return key === undefined ? task() : this.run(key, () => hold(index + 1))
    }
    return hold(0)
  }
}

/** Starts `task`, turning a synchronous throw into a rejected promise. */
function start<Result>(task: () => Promise<Result>): Promise<Result> {
  try {
    return task()
  } catch (error) {
    return Promise.reject(error)
  }
}
