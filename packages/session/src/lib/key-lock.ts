/**
 * Runs tasks one at a time per key, in the order they were queued, within this process: the
 * server storages' per-session and per-index locks, and the unstorage storage's writes, deletes
 * and `prune()` checks.
 */
export class KeyLock {
  #tails = new Map<string, Promise<unknown>>()

  /** Runs `task` once every task queued for `key` before it has settled; resolves to its result. */
  run<Result>(key: string, task: () => Promise<Result>): Promise<Result> {
    let tails = this.#tails
    let previous = tails.get(key)
    // Nothing queued: start at once, without waiting a turn of the microtask queue.
    let current = previous === undefined ? start(task) : previous.then(task, task)
    // The next task queued for `key` waits for this one to settle; the last one forgets the key.
    let settled: Promise<void> = current.then(
      () => release(tails, key, settled),
      () => release(tails, key, settled),
    )
    tails.set(key, settled)
    return current
  }

  /**
   * Whether a task queued for `key` has not settled yet. `false` while the first task of an idle
   * key runs its synchronous start (a `run` of the same key from there starts at once, as it
   * always did): call it from outside the key's tasks.
   */
  busy(key: string): boolean {
    return this.#tails.has(key)
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

/** Forgets `key` once `settled`, its last task's end, is still the last one queued. */
function release(tails: Map<string, Promise<unknown>>, key: string, settled: Promise<void>): void {
  if (tails.get(key) === settled) tails.delete(key)
}

/** Starts `task`, turning a synchronous throw into a rejected promise. */
function start<Result>(task: () => Promise<Result>): Promise<Result> {
  try {
    return task()
  } catch (error) {
    return Promise.reject(error)
  }
}
