/** The longest delay a timer takes, in milliseconds (Node fires longer ones after 1 ms). */
const longestDelay = 2 ** 31 - 1

/** The shortest list worth sweeping for settled entries. */
const minSweep = 1024

/** One entry of a {@link DeadlineQueue}: when it times out, and what happens then. */
export interface Deadline {
  /** On `performance.now()`'s clock, in milliseconds. */
  readonly at: number
  /** Called once when the deadline passes; `undefined` once settled. */
  onTimeout: (() => void) | undefined
}

/**
 * Deadlines that all lie the same `ms` after they were added, served by one timer: added in order,
 * they expire in order, so the queue is a list and the timer waits for its first live entry.
 * Adding costs a clock read and an array push instead of a timer of its own (about 0.4 µs to set
 * and clear on Node, twice per session request with Redis). Entries settled at the front leave at
 * once (Redis answers a connection's commands in order); one settled further back leaves when it
 * reaches the front, or in a sweep of the list once it has doubled. The timer keeps the process
 * alive only while an entry is live, as a timer per entry would; once none is, it is unref'd and
 * left to run out (Node, Bun, Deno; cleared where timers are numbers and cannot be unref'd), so a
 * server sending one command at a time does not set and clear a timer for each (0.1 µs per
 * command instead of 0.5 on Node 26). The clock is monotonic: a wall-clock step changes nothing.
 */
export class DeadlineQueue {
  /** How long after it is added each entry times out, in milliseconds. */
  readonly ms: number
  #entries: Deadline[] = []
  #first = 0
  // The list's length at which settled entries behind a live one are swept out.
  #sweepAt = minSweep
  #timer: ReturnType<typeof setTimeout> | undefined
  // Whether the timer is resting: unref'd and left to run out, no entry being live.
  #resting = false
  // The setTimeout and clearTimeout the timer was set with: a test's fake timers replace them.
  #setWith: typeof setTimeout = setTimeout
  #clearWith: typeof clearTimeout = clearTimeout

  /**
   * @param ms How long after it is added each entry times out, in milliseconds: finite and more
   * than 0; past 2^31 − 1 (about 24.8 days) too, in several timer turns.
   */
  constructor(ms: number) {
    this.ms = ms
  }

  /** Adds an entry that calls `onTimeout` `ms` from now unless settled first. */
  add(onTimeout: () => void): Deadline {
    let entry: Deadline = { at: performance.now() + this.ms, onTimeout }
    if (this.#entries.push(entry) >= this.#sweepAt) this.#sweep()
    if (this.#timer === undefined) this.#arm(this.ms)
    else if (this.#resting) this.#wake()
    return entry
  }

  /** Settles `entry`: it never times out. */
  settle(entry: Deadline): void {
    entry.onTimeout = undefined
    this.#dropSettled()
    if (this.#first === this.#entries.length && this.#timer !== undefined) this.#rest()
  }

  /**
   * No entry is live: the timer stops keeping the process alive. Where it can be unref'd it is
   * left to run out, so the next entry finds it set (for a time at or before its own deadline:
   * entries are added in order, and the timer, when it fires, sets itself for the first live one);
   * elsewhere it is cleared.
   */
  #rest(): void {
    let timer = this.#timer as { unref?: () => void }
    if (typeof timer.unref === 'function') {
      timer.unref()
      this.#resting = true
    } else {
      this.#clearWith(this.#timer)
      this.#timer = undefined
    }
  }

  /**
   * An entry is live again: the resting timer keeps the process alive again. If the timers were
   * replaced since it was set (a test's fake timers installed or removed: the clock it waits on
   * may never move again), it is cleared and a timer is set with the ones in place now.
   */
  #wake(): void {
    this.#resting = false
    if (setTimeout === this.#setWith) {
      ;(this.#timer as unknown as { ref: () => void }).ref()
    } else {
      this.#clearWith(this.#timer)
      this.#arm(this.ms)
    }
  }

  #expire(): void {
    this.#timer = undefined
    this.#resting = false
    let now = performance.now()
    let expired: (() => void)[] = []
    let entries = this.#entries
    while (this.#first < entries.length) {
      let entry = entries[this.#first] as Deadline
      if (entry.onTimeout !== undefined && entry.at > now) break
      this.#first++
      if (entry.onTimeout !== undefined) expired.push(entry.onTimeout)
      entry.onTimeout = undefined
    }
    this.#dropSettled()
    let next = this.#entries[this.#first]
    if (next !== undefined) this.#arm(next.at - now)
    // Last: whatever they do (add an entry, settle one), the queue is in order.
    for (let onTimeout of expired) onTimeout()
  }

  /** Sets the timer; a delay past what timers take is waited for in several turns. */
  #arm(delay: number): void {
    this.#setWith = setTimeout
    this.#clearWith = clearTimeout
    this.#timer = setTimeout(() => this.#expire(), Math.min(delay, longestDelay))
  }

  /**
   * Keeps only the live entries: settled ones behind a live one (a command Redis has not answered
   * while later ones were) would otherwise stay until it settles or times out. Amortized: the next
   * sweep waits until the list has doubled.
   */
  #sweep(): void {
    this.#entries = this.#entries
      .slice(this.#first)
      .filter((entry) => entry.onTimeout !== undefined)
    this.#first = 0
    this.#sweepAt = Math.max(minSweep, this.#entries.length * 2)
  }

  /** Drops the settled entries at the front, and compacts the list once mostly dropped. */
  #dropSettled(): void {
    let entries = this.#entries
    while (this.#first < entries.length && entries[this.#first]?.onTimeout === undefined) {
      this.#first++
    }
    if (this.#first === entries.length) {
      entries.length = 0
      this.#first = 0
    } else if (this.#first >= minSweep && this.#first * 2 >= entries.length) {
      entries.splice(0, this.#first)
      this.#first = 0
    }
  }
}
