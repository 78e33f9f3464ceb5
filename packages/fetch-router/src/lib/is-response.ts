/**
 * Whether `value` is a Fetch `Response`. Checks the brand rather than `instanceof`, so responses
 * from `fetch()` still count when a Node adapter (such as `@hono/node-server`) has replaced the
 * global `Response` class with a faster one.
 */
export function isResponse(value: unknown): value is Response {
  return (
    // The constructor first: one property read, where `instanceof` walks the prototype chain.
    (value as { constructor?: unknown } | null | undefined)?.constructor === Response ||
    value instanceof Response ||
    (typeof value === 'object' &&
      value !== null &&
      Object.prototype.toString.call(value) === '[object Response]')
  )
}
