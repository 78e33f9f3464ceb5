import { maxWrittenDepth } from './devalue-writer.ts'
import { isThenable } from './thenable.ts'

/**
 * Whether JSON gives back exactly `value` (a deep copy of it): plain objects (of
 * `Object.prototype`, without symbol keys or `__proto__` keys), dense arrays (of
 * `Array.prototype`), neither with a `then` method, strings, finite numbers other than `-0`,
 * booleans and `null`, each object reached once (no repeated or cyclic references), nested at
 * most `maxWrittenDepth` objects deep. `false` for anything else (`undefined`, a Date, a Map, a
 * deeper value...), which devalue writes, or refuses as it always did; `false` for everything
 * while a prototype holds a `toJSON` (see {@link jsonIgnoresPrototypes}).
 */
export function isJsonExact(value: unknown): boolean {
  if (!jsonIgnoresPrototypes()) return false
  try {
    return exact(value, new Set(), 0)
  } catch {
    return false
  }
}

/**
 * Whether `JSON.stringify` writes plain objects and arrays as they are: `false` once other code
 * (prototype pollution, say) put a `toJSON` on `Object.prototype` or `Array.prototype`, which JSON
 * would call on every object and write what it returns in its place. devalue never calls it.
 */
export function jsonIgnoresPrototypes(): boolean {
  return !('toJSON' in Object.prototype) && !('toJSON' in Array.prototype)
}

/** `depth`: how many objects `value` is inside. */
function exact(value: unknown, seen: Set<object>, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object':
      if (value === null) return true
      if (seen.has(value) || depth >= maxWrittenDepth) return false
      seen.add(value)
      return Array.isArray(value)
        ? exactArray(value, seen, depth + 1)
        : exactObject(value, seen, depth + 1)
    default:
      return false
  }
}

function exactArray(array: unknown[], seen: Set<object>, depth: number): boolean {
  // devalue refuses a thenable (an array too), where JSON drops the method: it must see it.
  if (Object.getPrototypeOf(array) !== Array.prototype || isThenable(array)) return false
  for (let index = 0; index < array.length; index++) {
    // A hole would come back as null, or as what other code put at its index on Array.prototype.
    if (!Object.hasOwn(array, index) || !exact(array[index], seen, depth)) return false
  }
  return true
}

function exactObject(object: object, seen: Set<object>, depth: number): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype || isThenable(object)) return false
  // devalue refuses symbol keys, where JSON would drop them: it must see them.
  if (Object.getOwnPropertySymbols(object).length > 0) return false
  for (let key of Object.keys(object)) {
    if (key === '__proto__' || !exact((object as Record<string, unknown>)[key], seen, depth)) {
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
