/** The runtime's own `signal` getter of `Request`; `undefined` when it has none to tell by. */
const requestPrototype = globalThis.Request?.prototype
const platformSignalGetter = signalGetterOf(requestPrototype)

// Requests of one prototype are all made alike, so the answer is kept for the last prototype seen.
let lastPrototype: unknown
let lastAnswer = true

/**
 * Whether `request` is a `Request` of the runtime itself, made with its `signal`, so that reading
 * `request.signal` costs nothing. The request-like object of a server adapter is not one when it
 * makes its signal on first read, as `@hono/node-server` does (an `AbortController` per request): the
 * runtime's getter, called on it, throws or finds no signal, and none of the adapter's code runs.
 * Decided once per prototype. A runtime without a `signal` getter on `Request.prototype` gives
 * `true`: the signal is read as before.
 */
export function hasPlatformSignal(request: Request): boolean {
  if (platformSignalGetter === undefined) return true
  let prototype = Object.getPrototypeOf(request)
  // Every runtime Request has this prototype: never let an adapter object built on it (whose own
  // getters the platform's refuses) decide for them.
  if (prototype === requestPrototype) return true
  if (prototype !== lastPrototype) {
    lastAnswer = probe(platformSignalGetter, request)
    lastPrototype = prototype
  }
  return lastAnswer
}

function probe(getter: () => unknown, request: Request): boolean {
  try {
    return getter.call(request) !== undefined
  } catch {
    return false
  }
}

function signalGetterOf(prototype: object | undefined): (() => unknown) | undefined {
  for (let each = prototype; each != null; each = Object.getPrototypeOf(each)) {
    let descriptor = Object.getOwnPropertyDescriptor(each, 'signal')
    if (descriptor !== undefined) return descriptor.get
  }
  return undefined
}
