import { abortReason, checkSignal, isAborted, offAbort, onAbort } from './abort-signals.ts'
import { afterMicrotasks } from './after-microtasks.ts'
import { afterSharedDelay, type DelayedTask } from './shared-delay.ts'

/**
 * Ends a request's pending steps when its signal aborts. Every middleware, handler and default
 * handler result that is a promise is raced against the signal, so `router.fetch` rejects with the
 * abort reason and a middleware awaiting `next()` sees it thrown there.
 *
 * A signal the runtime made with the request gets one `abort` listener per request, added when
 * the first step turns out asynchronous and removed when the last pending step settles:
 * synchronous answers add none, and a chain of five middleware adds one, not five.
 *
 * A signal made on first read (an adapter's: `@hono/node-server` makes an `AbortController`) is
 * read only once the microtasks have run with a step still pending, so before any event can fire
 * (an adapter may forget an abort that came before its signal existed), and a chain that settles
 * on microtasks alone never makes it. Its listener waits until a step has been pending for 20 to
 * 40 ms (`sharedDelayMs`), which most chains never do (a Redis round trip): meanwhile a step that
 * settles after an abort is checked, and rejects with the abort reason all the same.
 */
export class RequestAbort {
  #signal: AbortSignal | undefined
  readonly #readSignal: (() => AbortSignal) | undefined
  // The rejecters of the steps pending: the first in a field (a request has one pending at a time,
  // mostly), any more in a set made for them. A set per request would cost an allocation and a
  // shrinking rehash at its delete (about 0.4 KB a request).
  #pending: Reject | undefined
  #morePending: Set<Reject> | undefined
  #last: Promise<unknown> | undefined
  #onAbort: (() => void) | undefined
  #listening = false
  #waitingForMicrotasks = false
  // While the listener on a signal made on demand waits for the shared delay: its task.
  #lateListen: DelayedTask | undefined

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
   * request's abort is known, or at once if it already has.
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
    let first = !this.#hasPending()
    let raced = new Promise<Value>((resolve, reject) => {
      this.#addPending(reject)
      try {
        promise.then(
          (value) => {
            this.#done(reject)
            if (!this.#rejectedIfAborted(reject)) resolve(value)
          },
          (error: unknown) => {
            this.#done(reject)
            if (!this.#rejectedIfAborted(reject)) reject(error)
          },
        )
      } catch (error) {
        // A thenable whose `then` throws: that is its answer, and nothing is left listening.
        this.#done(reject)
        reject(error)
      }
    })
    // Once the step is pending: a signal read at once (no tick queue) may have aborted already.
    if (first && this.#hasPending()) this.#watch()
    this.#last = raced
    return raced
  }

  #watch(): void {
    if (this.#readSignal === undefined) {
      this.#listen()
    } else if (this.#signal !== undefined) {
      this.#listenLater()
    } else if (!this.#waitingForMicrotasks) {
      this.#waitingForMicrotasks = afterMicrotasks(() => this.#read())
      if (!this.#waitingForMicrotasks) this.#read()
    }
  }

  // The signal made on demand, read while a step is still pending. Whatever goes wrong here or in
  // #listen (a getter that throws, or gives something that is no signal) is the pending steps'
  // error: run from a tick or a timer, it must not escape as an uncaught exception.
  #read(): void {
    this.#waitingForMicrotasks = false
    if (!this.#hasPending()) return
    try {
      let signal = (this.#readSignal as () => AbortSignal)()
      checkSignal(signal)
      this.#signal = signal
      if (isAborted(signal)) this.#rejectPending(abortReason(signal))
      else this.#listenLater()
    } catch (error) {
      this.#signal = undefined
      this.#rejectPending(error)
    }
  }

  /** Listens once a step has been pending for the shared delay (a signal made on demand). */
  #listenLater(): void {
    if (this.#lateListen !== undefined) return
    this.#lateListen = { run: () => this.#listen() }
    afterSharedDelay(this.#lateListen)
  }

  #listen(): void {
    this.#lateListen = undefined
    let signal = this.#signal as AbortSignal
    try {
      // Read a while ago (an adapter's signal): it may have aborted since.
      if (isAborted(signal)) {
        this.#rejectPending(abortReason(signal))
        return
      }
      this.#onAbort ??= () => this.#rejectPending(abortReason(this.#signal as AbortSignal))
      onAbort(signal, this.#onAbort)
      this.#listening = true
    } catch (error) {
      this.#rejectPending(error)
    }
  }

  /** After a step settled: whether the request aborted meanwhile (then `reject` got the reason). */
  #rejectedIfAborted(reject: Reject): boolean {
    let signal = this.#signal
    if (signal === undefined) return false
    try {
      if (!isAborted(signal)) return false
      reject(abortReason(signal))
    } catch (error) {
      reject(error)
    }
    return true
  }

  #rejectPending(reason: unknown): void {
    let pending = this.#pending === undefined ? [] : [this.#pending]
    if (this.#morePending !== undefined) pending.push(...this.#morePending)
    for (let reject of pending) this.#done(reject)
    for (let reject of pending) reject(reason)
  }

  #hasPending(): boolean {
    return this.#pending !== undefined || (this.#morePending?.size ?? 0) > 0
  }

  #addPending(reject: Reject): void {
    // The field holds the oldest: once a set was needed, newer steps go to it, so that an abort
    // rejects the steps in the order they began.
    if (this.#pending === undefined && this.#morePending === undefined) {
      this.#pending = reject
    } else {
      this.#morePending ??= new Set()
      this.#morePending.add(reject)
    }
  }

  /** Whether `reject` was pending (it no longer is). */
  #deletePending(reject: Reject): boolean {
    if (this.#pending !== reject) return this.#morePending?.delete(reject) ?? false
    this.#pending = undefined
    return true
  }

  #done(reject: Reject): void {
    // After an abort nothing is pending any more: the step settled late, and nothing else runs.
    if (!this.#deletePending(reject) || this.#hasPending()) return
    if (this.#listening) {
      offAbort(this.#signal as AbortSignal, this.#onAbort as () => void)
      this.#listening = false
    }
    if (this.#lateListen !== undefined) {
      // The queue keeps the task, not this request, until its turn.
      this.#lateListen.run = undefined
      this.#lateListen = undefined
    }
  }
}

/** What rejects the promise a race gave for one step. */
type Reject = (reason: unknown) => void

function ignore(): void {}
