import { abortReason, isAborted, offAbort, onAbort } from './abort-signals.ts'

/**
 * Ends a request's pending steps the moment its signal aborts. Every middleware, handler and
 * default handler result that is a promise is raced against the signal, so `router.fetch` rejects
 * with the abort reason at once and a middleware awaiting `next()` sees it thrown there.
 *
 * One `abort` listener per request, added when the first step turns out asynchronous and removed
 * when the last pending step settles: synchronous answers add none, and a chain of five
 * middleware adds one, not five.
 */
export class RequestAbort {
  readonly #signal: AbortSignal
  readonly #pending = new Set<(reason: unknown) => void>()
  #last: Promise<unknown> | undefined
  #onAbort: (() => void) | undefined

  /** @param signal The request's signal. */
  constructor(signal: AbortSignal) {
    this.#signal = signal
  }

  /**
   * `promise`, raced against the request's signal: rejects with the abort reason as soon as the
   * request aborts, or at once if it already has.
   */
  race<Value>(promise: PromiseLike<Value>): Promise<Value> {
    // A promise this race made, handed up a level (a route's answer to router middleware).
    if (promise === this.#last) return promise as Promise<Value>
    if (isAborted(this.#signal)) {
      // Our promise settles now; theirs later, and its failure must not go unhandled.
      promise.then(undefined, ignore)
      return Promise.reject(abortReason(this.#signal))
    }
    if (this.#pending.size === 0) this.#listen()
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

  #listen(): void {
    this.#onAbort ??= () => {
      let reason = abortReason(this.#signal)
      for (let reject of this.#pending) reject(reason)
      this.#pending.clear()
    }
    onAbort(this.#signal, this.#onAbort)
  }

  #done(reject: (reason: unknown) => void): void {
    // After an abort the set is already empty: the step settled late, and nothing else runs.
    if (this.#pending.delete(reject) && this.#pending.size === 0 && this.#onAbort !== undefined) {
      offAbort(this.#signal, this.#onAbort)
    }
  }
}

function ignore(): void {}
