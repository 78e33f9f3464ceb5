/** Node's (and Bun's, and Deno's) `process.nextTick`, where there is one. */
type NextTick = (task: () => void) => void

/**
 * Runs `task` once every microtask queued so far, and every one those queue in turn, has run, and
 * before any timer or I/O event: a promise still pending then waits for an event. Returns `false`,
 * and does not run `task`, on a runtime without `process.nextTick` (looked up at each call).
 *
 * A tick queued from a microtask runs when the microtask queue is empty; one queued from
 * synchronous code would run before it, hence the hop through a microtask. Deno runs the ticks
 * queued while the main module is still being evaluated after its first timers: there, "before
 * any event" holds from code that an event runs (a request handler).
 */
export function afterMicrotasks(task: () => void): boolean {
  let nextTick = (globalThis as { process?: { nextTick?: NextTick } }).process?.nextTick
  if (typeof nextTick !== 'function') return false
  queueMicrotask(() => (nextTick as NextTick)(task))
  return true
}
