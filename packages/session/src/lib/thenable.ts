/**
 * Whether `value` has a `then` method: a promise of any realm, or another thenable, which `await`
 * would wait for (and devalue refuses to write).
 */
export function isThenable<Value>(value: Value | PromiseLike<Value>): value is PromiseLike<Value> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}
