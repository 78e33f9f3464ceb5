import { abortReason, isAborted, offAbort, onAbort } from './abort-signals.ts'

/** Runs a task after the current macrotask's I/O callbacks: `setImmediate` where there is one. */
const afterIo: (task: () => void) => unknown =
  (globalThis as { setImmediate?: (task: () => void) => unknown }).setImmediate ??
  ((task) => setTimeout(task, 0))

/**
 * Ends a request's pending steps the moment its signal aborts. Every middleware, handler and
 * default handler result that is a promise is raced against the signal, so `router.fetch` rejects
 * with the abort reason at once and a middleware awaiting `next()` sees it thrown there.
 *
 * One `abort` listener per request, added when the first step turns out asynchronous and removed
 * when the last pending step settles: synchronous answers add none, and a chain of five
 * middleware adds one, not five. A signal an adapter makes only when it is first read
 * (`@hono/node-server`) is read only if a step is still pending once the I/O callbacks that ran
 * meanwhile are done: steps that settle without waiting for I/O (a memory or cookie session) never
 * make it. Such a signal aborts on an I/O event (the client went away), which it records if it is
 * not made yet, so reading it then misses no abort.
 */
export class RequestAbort {
  readonly #signalOf: () => AbortSignal
  #signal: AbortSignal | undefined
  readonly #pending = new Set<(reason: unknown) => void>()
  #last: Promise<unknown> | undefined
  #onAbort: (() => void) | undefined
  #checkScheduled = false

  /**
   * @param signalOf Reads the request's signal.
   * @param signal The request's signal when it exists already (the runtime made it with the
   * request); else it is read through `signalOf` once a step stays pending.
   */
  constructor(signalOf: () => AbortSignal, signal: AbortSignal | undefined) {
    this.#signalOf = signalOf
    this.#signal = signal
  }

  /**
   * `promise`, raced against the request's signal: rejects with the abort reason as soon as the
   * request aborts, or at once if it already has.
   */
  race<Value>(promise: PromiseLike<Value>): Promise<Value> {
    // A promise this race made, handed up a level (a route's answer to router middleware).
    if (promise === this.#last) return promise as Promise<Value>
    let signal = this.#signal
    if (signal !== undefined && isAborted(signal)) {
      // Our promise settles now; theirs later, and its failure must not go unhandled.
      promise.then(undefined, ignore)
      return Promise.reject(abortReason(signal))
    }
    if (this.#pending.size === 0) {
      if (signal !== undefined) this.#listen(signal)
      else this.#scheduleCheck()
    }
    let raced = new Promise<Value>((resolve, reject) => {
      this.#pending.add(reject)
      promise.then(
        (value) => {
          this.#done(reject)
          resolve(value)
        },
        (error: unknown) => {
          this.#done(reject)
          reject(error)
        },
      )
    })
    this.#last = raced
    return raced
  }

  /** Reads the signal once the I/O callbacks of this turn ran, if a step is still pending then. */
  #scheduleCheck(): void {
    if (this.#checkScheduled) return
    this.#checkScheduled = true
    afterIo(() => {
      this.#checkScheduled = false
      if (this.#pending.size === 0 || this.#signal !== undefined) return
      let signal: AbortSignal
      try {
        signal = this.#signalOf()
      } catch (error) {
        this.#rejectAll(error)
        return
      }
      this.#signal = signal
      if (isAborted(signal)) this.#rejectAll(abortReason(signal))
      else this.#listen(signal)
    })
  }

  #listen(signal: AbortSignal): void {
    this.#onAbort ??= () => this.#rejectAll(abortReason(signal))
    onAbort(signal, this.#onAbort)
  }

  #rejectAll(reason: unknown): void {
    for (let reject of this.#pending) reject(reason)
    this.#pending.clear()
  }

  #done(reject: (reason: unknown) => void): void {
    // After an abort the set is already empty: the step settled late, and nothing else runs.
    if (!this.#pending.delete(reject) || this.#pending.size > 0) return
    if (this.#onAbort !== undefined && this.#signal !== undefined) {
      offAbort(this.#signal, this.#onAbort)
    }
  }
}

function ignore(): void {}
