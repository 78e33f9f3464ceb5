// Node's (and Bun's) tick queue: it runs once the microtask queue is empty.
const nextTick = (globalThis as { process?: { nextTick?: (task: () => void) => void } }).process
  ?.nextTick

/**
 * Runs `task` once every microtask queued so far, and every one those queue in turn, has run, and
 * before any timer or I/O event: a promise still pending then waits for an event. Returns `false`,
 * and does not run `task`, on a runtime without Node's `process.nextTick`.
 *
 * A tick queued from a microtask runs when the microtask queue is empty; one queued from
 * synchronous code would run before it, hence the hop through a microtask.
 */
export function afterMicrotasks(task: () => void): boolean {
  if (nextTick === undefined) return false
  queueMicrotask(() => nextTick(task))
  return true
}
