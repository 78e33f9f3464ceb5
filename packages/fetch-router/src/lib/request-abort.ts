import { abortReason, isAborted, offAbort, onAbort } from './abort-signals.ts'
import { afterSharedDelay, type DelayedTask } from './shared-delay.ts'

/**
 * Ends a request's pending steps the moment its signal aborts. Every middleware, handler and
 * default handler result that is a promise is raced against the signal, so `router.fetch` rejects
 * with the abort reason at once and a middleware awaiting `next()` sees it thrown there.
 *
 * One `abort` listener per request, added when the first step turns out asynchronous and removed
 * when the last pending step settles: synchronous answers add none, and a chain of five
 * middleware adds one, not five. A signal made on first read (an adapter's) is read only once a
 * step has been pending for 20 to 40 ms (`sharedDelayMs`): a chain that settles sooner (a
 * memory session, a Redis round trip) never makes it. Such a signal, read late, must already be
 * aborted when the request was (as `@hono/node-server`'s is: it keeps the reason until the signal
 * is made); a pending step then rejects at once.
 */
export class RequestAbort {
  #signal: AbortSignal | undefined
  readonly #readSignal: (() => AbortSignal) | undefined
  readonly #pending = new Set<(reason: unknown) => void>()
  #last: Promise<unknown> | undefined
  #onAbort: (() => void) | undefined
  #listening = false
  // While a signal made on demand waits to be read: the task of the shared delay.
  #delayedRead: DelayedTask | undefined

  /**
   * @param signal The request's signal, or a function that reads it (and makes it, for an adapter
   * that makes it on first read): called only while a step is pending, and again only after a
   * read that threw or gave no signal.
   */
  constructor(signal: AbortSignal | (() => AbortSignal)) {
    if (typeof signal === 'function') this.#readSignal = signal
    else this.#signal = signal
  }

  /**
   * `promise`, raced against the request's signal: rejects with the abort reason as soon as the
   * request aborts, or at once if it already has.
   */
  race<Value>(promise: PromiseLike<Value>): Promise<Value> {
    // A promise this race made, handed up a level (a route's answer to router middleware).
    if (promise === this.#last) return promise as Promise<Value>
    if (this.#signal !== undefined && isAborted(this.#signal)) {
      // Our promise settles now; theirs later, and its failure must not go unhandled.
      try {
        promise.then(undefined, ignore)
      } catch {
        // A thenable whose `then` throws: the abort is the answer all the same.
      }
      return Promise.reject(abortReason(this.#signal))
    }
    let first = this.#pending.size === 0
    let raced = new Promise<Value>((resolve, reject) => {
      this.#pending.add(reject)
      try {
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
      } catch (error) {
        // A thenable whose `then` throws: that is its answer, and nothing is left listening.
        this.#done(reject)
        reject(error)
      }
    })
    // Once the step is pending: a thenable may have settled synchronously.
    if (first && this.#pending.size > 0) this.#listen()
    this.#last = raced
    return raced
  }

  #listen(): void {
    if (this.#signal !== undefined) {
      this.#onAbort ??= () => this.#rejectPending(abortReason(this.#signal as AbortSignal))
      onAbort(this.#signal, this.#onAbort)
      this.#listening = true
    } else if (this.#delayedRead === undefined) {
      this.#delayedRead = { run: () => this.#readAndListen() }
      afterSharedDelay(this.#delayedRead)
    }
  }

  // The signal made on demand, read while a step is still pending. Whatever goes wrong here (a
  // getter that throws, or gives something that is no signal) is the pending steps' error: run
  // from a timer, it must not escape as an uncaught exception.
  #readAndListen(): void {
    this.#delayedRead = undefined
    try {
      let signal = (this.#readSignal as () => AbortSignal)()
      this.#signal = signal
      if (isAborted(signal)) this.#rejectPending(abortReason(signal))
      else this.#listen()
    } catch (error) {
      this.#signal = undefined
      this.#rejectPending(error)
    }
  }

  #rejectPending(reason: unknown): void {
    for (let reject of this.#pending) reject(reason)
    this.#pending.clear()
  }

  #done(reject: (reason: unknown) => void): void {
    // After an abort the set is already empty: the step settled late, and nothing else runs.
    if (!this.#pending.delete(reject) || this.#pending.size > 0) return
    if (this.#listening) {
      offAbort(this.#signal as AbortSignal, this.#onAbort as () => void)
      this.#listening = false
    } else if (this.#delayedRead !== undefined) {
      // The queue keeps the task, not this request, until its turn.
      this.#delayedRead.run = undefined
      this.#delayedRead = undefined
    }
  }
}

function ignore(): void {}
