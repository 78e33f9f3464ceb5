import * as devalue from 'devalue'
import { isoString } from './iso-string.ts'
import { isThenable } from './thenable.ts'
import { isWellFormed } from './well-formed.ts'

/** Thrown inside a write for a value only devalue itself writes. */
const uncommon = Symbol('uncommon')

/**
 * The deepest nesting written here (levels below the value given). `devalue.parse` reads text
 * recursively and runs out of stack past about 2,200 levels, where `devalue.stringify` already
 * refuses past about 1,700: anything deeper than this is left to devalue, so what it cannot
 * write is refused at save (as it always was), never written and then lost at the next read.
 */
export const maxWrittenDepth = 1000

/** A character JSON escapes in a string (besides a lone surrogate). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const needsEscape = /["\\\u0000-\u001f]/

/**
 * Object keys as JSON strings: keys repeat from one write to the next. Only short keys, and
 * emptied once it holds 1024, so odd data cannot grow it.
 */
const quotedKeys = new Map<string, string>()

/**
 * What `devalue.stringify(value)` writes, faster for the values sessions hold: text in devalue's
 * format, which `devalue.parse` (and so any version of this package) reads back as it reads
 * devalue's own. Written here: plain objects, dense arrays, Date, Map, Set, URL, RegExp, strings,
 * numbers (`NaN`, `±Infinity` and `-0` too), booleans, `null`, `undefined`, BigInt, and repeated
 * or cyclic references. The text may differ from devalue's (entries in another order, a string
 * that occurs twice written twice, JSON's escapes), never what it reads back as. Anything else (a
 * typed array, a boxed primitive, a sparse array, a null-prototype object...), and a value nested
 * deeper than {@link maxWrittenDepth}, is written by devalue itself, which also throws for what it
 * refuses.
 *
 * @throws {Error} from devalue for a value it cannot serialize (a function, a class instance).
 */
export function stringifyValue(value: unknown): string {
  try {
    return new DevalueWriter(undefined).write(value)
  } catch {
    // Mostly `uncommon`; any other error (an object faking a Date, say) is devalue's to report.
    return devalue.stringify(value)
  }
}

/**
 * Where the entries of a text {@link stringifyWithLayout} wrote lie, so that one holding a plain
 * value (see {@link plainEntry}) can be rewritten in place: no other entry refers to it, as
 * values that are not objects are written once per place they are in.
 */
export interface EntryLayout {
  /** Where entry `i` starts at `2i` and ends (exclusive) at `2i + 1`, offsets in the text. */
  bounds: number[]
  /** The entries the first entry (the value given) refers to, in the order written. */
  rootRefs: number[]
  /** The entries the second entry (the value's first object) refers to, in the order written. */
  childRefs: number[]
}

/**
 * {@link stringifyValue}'s text, and its {@link EntryLayout} when written here; `layout` is
 * `undefined` when devalue itself wrote the text.
 *
 * @throws {Error} from devalue for a value it cannot serialize (a function, a class instance).
 */
export function stringifyWithLayout(value: unknown): { text: string; layout?: EntryLayout } {
  let layout: EntryLayout = { bounds: [], rootRefs: [], childRefs: [] }
  try {
    return { text: new DevalueWriter(layout).write(value), layout }
  } catch {
    return { text: devalue.stringify(value) }
  }
}

/**
 * The entry {@link stringifyValue} writes for `value` when it is a plain value that has an entry
 * of its own (a string, a finite number other than `-0`, a boolean or `null`); `undefined` for
 * anything else (an object, or a value written as a negative number: `undefined`, `NaN`...).
 */
export function plainEntry(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value)
    case 'boolean':
      return `${value}`
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? `${value}` : undefined
    case 'object':
      return value === null ? 'null' : undefined
    default:
      return undefined
  }
}

/**
 * One write. devalue's format is a JSON array of entries, the first one the value; an entry for
 * an object refers to the values in it by their entries' indexes (or by a negative number for
 * `undefined`, `NaN`, `Infinity`, `-Infinity` and `-0`). Entries are written breadth first: a value
 * gets the next index when first met and its entry once every entry before it is written, so the
 * text is written in one pass, in index order, one level of nesting after the other.
 *
 * `devalue.parse` reads depth first: a value is read as deep as the first path to it in that
 * order, which with repeated references can be longer than the shortest one, the level it is
 * written at. In a tree (no repeated references) each value has one path; otherwise no path is
 * longer than the number of objects, so such a value with more than {@link maxWrittenDepth}
 * objects is left to devalue.
 */
class DevalueWriter {
  /** The values to write, by index: written up to the current one, met but not written after. */
  #queue: unknown[] = []
  #indexes = new Map<object, number>()
  /** Whether an object was met twice. */
  #repeated = false
  /** Where entries lie, when asked for; see {@link EntryLayout}. */
  #layout: EntryLayout | undefined
  /** The index of the entry being written; `-1` before the first. */
  #writing = -1

  constructor(layout: EntryLayout | undefined) {
    this.#layout = layout
  }

  write(value: unknown): string {
    let root = this.#reference(value)
    if (root < 0) return `${root}`
    let queue = this.#queue
    let text = '['
    // The entries of one level come before those of the next: the level deepens at its end.
    let depth = 0
    let levelEnd = 1
    for (let index = 0; index < queue.length; index++) {
      if (index === levelEnd) {
        if (++depth > maxWrittenDepth) throw uncommon
        levelEnd = queue.length
      }
      if (index > 0) text += ','
      this.#writing = index
      let start = text.length
      text += this.#entry(queue[index])
      this.#layout?.bounds.push(start, text.length)
    }
    if (this.#repeated && this.#indexes.size > maxWrittenDepth) throw uncommon
    return `${text}]`
  }

  /** The index of `value`'s entry (given now if it has none), or the number that stands for it. */
  #reference(value: unknown): number {
    let reference = this.#referenceOf(value)
    let layout = this.#layout
    if (layout !== undefined && (this.#writing === 0 || this.#writing === 1)) {
      ;(this.#writing === 0 ? layout.rootRefs : layout.childRefs).push(reference)
    }
    return reference
  }

  #referenceOf(value: unknown): number {
    switch (typeof value) {
      case 'undefined':
        return -1
      case 'number':
        if (Number.isNaN(value)) return -3
        if (value === Number.POSITIVE_INFINITY) return -4
        if (value === Number.NEGATIVE_INFINITY) return -5
        if (Object.is(value, -0)) return -6
        break
      case 'object': {
        if (value === null) break
        let known = this.#indexes.get(value)
        if (known !== undefined) {
          this.#repeated = true
          return known
        }
        this.#indexes.set(value, this.#queue.length)
        break
      }
      case 'function':
      case 'symbol':
        throw uncommon
    }
    return this.#queue.push(value) - 1
  }

  #entry(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return quote(value)
      case 'bigint':
        return `["BigInt","${value}"]`
      case 'object':
        return value === null ? 'null' : this.#objectEntry(value)
      default:
        // A finite number or a boolean.
        return `${value}`
    }
  }

  #objectEntry(value: object): string {
    // devalue refuses a thenable, even a Date with a `then` method.
    if (isThenable(value)) throw uncommon
    switch (Object.getPrototypeOf(value)) {
      case Object.prototype:
        return this.#plainObject(value as Record<string, unknown>)
      case Array.prototype:
        return this.#array(value as unknown[])
      case Date.prototype:
        return `["Date","${isoString((value as Date).getTime())}"]`
      case Map.prototype: {
        let entry = '["Map"'
        for (let [key, item] of value as Map<unknown, unknown>) {
          entry += `,${this.#reference(key)},${this.#reference(item)}`
        }
        return `${entry}]`
      }
      case Set.prototype: {
        let entry = '["Set"'
        for (let item of value as Set<unknown>) entry += `,${this.#reference(item)}`
        return `${entry}]`
      }
      case URL.prototype:
        return `["URL",${quote((value as URL).href)}]`
      case RegExp.prototype: {
        let { source, flags } = value as RegExp
        return `["RegExp",${quote(source)}${flags ? `,"${flags}"` : ''}]`
      }
      default:
        throw uncommon
    }
  }

  #plainObject(object: Record<string, unknown>): string {
    // devalue refuses symbol keys and `__proto__` keys: it throws its own error for them.
    if (Object.getOwnPropertySymbols(object).length > 0) throw uncommon
    let entry = '{'
    for (let key of Object.keys(object)) {
      if (key === '__proto__') throw uncommon
      if (entry.length > 1) entry += ','
      entry += `${quoteKey(key)}:${this.#reference(object[key])}`
    }
    return `${entry}}`
  }

  #array(array: unknown[]): string {
    if (!Array.isArray(array)) throw uncommon
    let entry = '['
    for (let index = 0; index < array.length; index++) {
      // devalue writes holes its own way (an index other code put on Array.prototype too).
      if (!Object.hasOwn(array, index)) throw uncommon
      if (index > 0) entry += ','
      entry += this.#reference(array[index])
    }
    return `${entry}]`
  }
}

/** `text` as a JSON string; without a call to `JSON.stringify` when nothing needs escaping. */
function quote(text: string): string {
  return needsEscape.test(text) || !isWellFormed(text) ? JSON.stringify(text) : `"${text}"`
}

function quoteKey(key: string): string {
  if (key.length > 64) return quote(key)
  let quoted = quotedKeys.get(key)
  if (quoted === undefined) {
    if (quotedKeys.size >= 1024) quotedKeys.clear()
    quoted = quote(key)
    quotedKeys.set(key, quoted)
  }
  return quoted
}
