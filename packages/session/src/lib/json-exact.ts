/**
 * Whether JSON gives back exactly `value` (a deep copy of it): plain objects (of
 * `Object.prototype`, without symbol keys, `__proto__` keys or a `then` method), dense arrays,
 * strings, finite numbers other than `-0`, booleans and `null`, each object reached once (no
 * repeated or cyclic references). `false` for anything else (`undefined`, a Date, a Map...), for
 * which devalue is needed. A structure too deep for the stack gives `false` too.
 */
export function isJsonExact(value: unknown): boolean {
  try {
    return exact(value, new Set())
  } catch {
    return false
  }
}

function exact(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object':
      if (value === null) return true
      if (seen.has(value)) return false
      seen.add(value)
      return Array.isArray(value) ? exactArray(value, seen) : exactObject(value, seen)
    default:
      return false
  }
}

function exactArray(array: unknown[], seen: Set<object>): boolean {
  if (Object.getPrototypeOf(array) !== Array.prototype) return false
  for (let index = 0; index < array.length; index++) {
    // A hole would come back as null.
    if (!(index in array) || !exact(array[index], seen)) return false
  }
  return true
}

function exactObject(object: object, seen: Set<object>): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype) return false
  // devalue refuses symbol keys and thenables, where JSON would drop them: it must see them.
  if (Object.getOwnPropertySymbols(object).length > 0) return false
  if (typeof (object as { then?: unknown }).then === 'function') return false
  for (let key of Object.keys(object)) {
    if (key === '__proto__' || !exact((object as Record<string, unknown>)[key], seen)) {
      return false
    }
  }
  return true
}

/**
 * Whether a value JSON text parsed to holds a `__proto__` key anywhere, which devalue would refuse
 * to read. Walks the value only when `text` could spell such a key: literally, or with a `\u`
 * escape.
 */
export function hasProtoKey(text: string, value: unknown): boolean {
  if (!text.includes('__proto__') && !text.includes('\\u')) return false
  return protoKeyIn(value)
}

function protoKeyIn(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return value.some(protoKeyIn)
  for (let key of Object.keys(value)) {
    if (key === '__proto__' || protoKeyIn((value as Record<string, unknown>)[key])) return true
  }
  return false
}
