import * as devalue from 'devalue'
import { maxWrittenDepth } from './devalue-writer.ts'
import type { Data } from './session.ts'
import type { SessionRecord } from './session-record.ts'
import { isThenable } from './thenable.ts'

/** Thrown inside a copy for a value only devalue knows how to handle. */
const uncommon = Symbol('uncommon')

/** One copy's state: each object copied so far with its copy, and whether values are checked. */
interface Copying {
  /** Made on the first object copied: most saves copy none (they set a number, say). */
  copies: Map<object, unknown> | undefined
  /** Whether values may be anything a request stored (else they are a kept record's own). */
  checked: boolean
  /**
   * The deepest nesting copied here, deeper left to devalue. Checked values stop at the writer's
   * depth, so nothing is kept that devalue could not write and read back; a kept record's own are
   * copied however deep: they were read already (from JSON, say), and devalue's round trip would
   * run out of stack sooner.
   */
  maxDepth: number
  /**
   * Whether to visit own keys only (`Object.keys`) rather than `for…in`: set while a key is
   * enumerable on `Object.prototype` (see {@link isPolluted}), where `for…in` would list it too.
   */
  ownKeys: boolean
}

/**
 * Set (to `true`) on kept records whose every value {@link keepRecord} copied directly: they hold
 * only what {@link copyValue} copies (no typed array, sparse array or null-prototype object), so
 * their values can be lent one by one (see {@link lendsValues}). Any other record (one devalue's
 * round trip made, or one parsed from text and never kept) is copied whole. A property, not a
 * WeakSet: adding to one at every save costs more than the rest of the copy.
 */
const copiedDirectly = Symbol('copiedDirectly')

/** A record {@link keepRecord} made, marked when it copied it directly. */
type KeptRecord = SessionRecord & { [copiedDirectly]?: true }

/**
 * A record to keep in memory for `record`, sharing nothing with it: each value (and flash value)
 * becomes what a devalue round trip (`parse(stringify(...))`) of the record gives, copied directly
 * for plain objects, dense arrays, Date, Map, Set, URL, RegExp and primitives (several times
 * faster than the round trip), by the round trip itself for anything else (a typed array, a
 * sparse array, an object of another realm, a value nested deeper than `maxWrittenDepth`...), so
 * devalue refuses the same values with the same error, and nothing it could not read back is
 * kept. A value `previous` (the record kept before, never changed nor handed out) holds under the
 * same key, the very same value, is shared with it instead of copied: it is one already kept.
 * With `owned` (the caller made `record`'s values and flash objects for this and holds them no
 * longer), those two objects are kept as they are, each object in them replaced by its copy once
 * every copy (of both) is made, instead of being copied too: when one throws, devalue's round trip
 * reads them as they were.
 *
 * @throws {Error} from devalue for a value it cannot serialize (a function, a class instance).
 */
export function keepRecord(
  record: SessionRecord,
  previous: SessionRecord | undefined,
  owned = false,
): SessionRecord {
  let copying: Copying = {
    copies: undefined,
    checked: true,
    maxDepth: maxWrittenDepth,
    ownKeys: false,
  }
  // Values are shared only with a record copied directly, so that the new one can be lent too.
  let shared =
    previous !== undefined && (previous as KeptRecord)[copiedDirectly] === true
      ? previous
      : undefined
  try {
    if (isPolluted()) throw uncommon
    let copies: Copies = []
    let values = keepValues(record.values, shared?.values, copying, owned, copies)
    let flash = keepValues(record.flash, shared?.flash, copying, owned, copies)
    for (let index = 0; index < copies.length; index += 3) {
      ;(copies[index] as Data)[copies[index + 1] as string] = copies[index + 2]
    }
    let kept: KeptRecord = withData(record, values, flash)
    kept[copiedDirectly] = true
    return kept
  } catch {
    // Mostly `uncommon`; any other error (an object faking a Date, say) is devalue's to report.
    let [values, flash] = devalue.parse(devalue.stringify([record.values, record.flash]))
    return withData(record, values, flash)
  }
}

/**
 * Whether the values of a kept record can be lent one by one (see {@link lendingCopier}): only
 * a record {@link keepRecord} copied directly, which holds nothing devalue alone copies.
 */
export function lendsValues(kept: SessionRecord): boolean {
  return (kept as KeptRecord)[copiedDirectly] === true
}

/**
 * The copier one session hands the values of a kept record out through (see `copyOnRead`), for a
 * record {@link lendsValues} accepts: each value is copied on first read, so a request pays only
 * for the values it reads, and the copies are what {@link copyRecord} would give: an object two
 * values share is one object in their copies too, and a value read twice is the same copy. Such a
 * record holds only what is copied here, so no copy falls back to devalue part way; while a key is
 * enumerable on `Object.prototype`, objects are copied by their own keys.
 */
export function lendingCopier(): (value: object) => unknown {
  let copying: Copying = {
    copies: undefined,
    checked: false,
    maxDepth: Number.POSITIVE_INFINITY,
    ownKeys: false,
  }
  return (value) => {
    copying.ownKeys = isPolluted()
    return copyValue(value, copying, 0)
  }
}

/**
 * A deep copy of a kept record (one {@link keepRecord} made, or one `decodeRecord` parsed and
 * nothing else holds), to hand out: it shares nothing with it, and is what a devalue round trip of
 * it would give. Such a record holds nothing devalue refuses, so values are not checked again.
 */
export function copyRecord(kept: SessionRecord): SessionRecord {
  let copying: Copying = {
    copies: undefined,
    checked: false,
    maxDepth: Number.POSITIVE_INFINITY,
    ownKeys: false,
  }
  let data: [Data, Data]
  try {
    if (isPolluted()) throw uncommon
    data = copyValue([kept.values, kept.flash], copying, 0) as [Data, Data]
  } catch {
    data = devalue.parse(devalue.stringify([kept.values, kept.flash]))
  }
  return withData(kept, data[0], data[1])
}

function withData(record: SessionRecord, values: Data, flash: Data): SessionRecord {
  let copy: SessionRecord = {
    values,
    flash,
    createdAt: record.createdAt,
    touchedAt: record.touchedAt,
  }
  if (record.indexedUntil !== undefined) copy.indexedUntil = record.indexedUntil
  return copy
}

/**
 * Copies to put in place once all are made: the object, the key, the copy, one after the other
 * (most saves copy nothing, and fill nothing).
 */
type Copies = unknown[]

/**
 * `data` (itself when `owned`, else a copy) to keep, and on `copies` the copy of every value of
 * it not also in `kept` under its key, to put in it once every copy is made.
 */
function keepValues(
  data: Data,
  kept: Data | undefined,
  copying: Copying,
  owned: boolean,
  copies: Copies,
): Data {
  // A spread copies the layout at once (a `__proto__` key as an own property, refused below).
  let copy: Data = owned
    ? data
    : Object.getPrototypeOf(data) === null
      ? Object.assign(Object.create(null), data)
      : { ...data }
  // Own keys only, as no copy is made while Object.prototype is polluted (see isPolluted).
  for (let key in copy) {
    // devalue refuses it.
    if (key === '__proto__') throw uncommon
    let value = copy[key]
    if (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
      continue
    let shared = kept !== undefined && Object.hasOwn(kept, key) && kept[key] === value
    if (!shared) copies.push(copy, key, copyValue(value, copying, 0))
  }
  return copy
}

/**
 * A copy of `value`, which is inside `depth` objects of the values copied.
 *
 * @throws {typeof uncommon} for anything not copied here.
 */
function copyValue(value: unknown, copying: Copying, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') throw uncommon
    return value
  }
  let known = copying.copies?.get(value)
  if (known !== undefined) return known
  // devalue refuses a thenable, even a Date with a `then` method.
  if (copying.checked && isThenable(value)) throw uncommon
  if (depth >= copying.maxDepth) throw uncommon
  switch (Object.getPrototypeOf(value)) {
    case Object.prototype:
      return copyObject(value as Data, copying, depth + 1)
    case Array.prototype:
      return copyArray(value as unknown[], copying, depth + 1)
    case Date.prototype:
      return remember(value, new Date((value as Date).getTime()), copying)
    case Map.prototype:
      return copyMap(value as Map<unknown, unknown>, copying, depth + 1)
    case Set.prototype:
      return copySet(value as Set<unknown>, copying, depth + 1)
    case URL.prototype:
      return remember(value, new URL((value as URL).href), copying)
    case RegExp.prototype: {
      let { source, flags } = value as RegExp
      return remember(value, new RegExp(source, flags), copying)
    }
    default:
      throw uncommon
  }
}

function remember<Copy>(original: object, copy: Copy, copying: Copying): Copy {
  copying.copies ??= new Map()
  copying.copies.set(original, copy)
  return copy
}

function copyObject(original: Data, copying: Copying, depth: number): Data {
  // devalue refuses symbol keys and `__proto__` keys (a kept record has neither).
  if (copying.checked && Object.getOwnPropertySymbols(original).length > 0) throw uncommon
  // A spread copies the object's layout at once; only objects inside need copying after it.
  let copy = { ...original }
  remember(original, copy, copying)
  if (copying.ownKeys) {
    for (let key of Object.keys(copy)) copyEntry(copy, key, copying, depth)
  } else {
    // Own keys only unless Object.prototype is polluted (see isPolluted), and `for…in` is faster.
    for (let key in copy) copyEntry(copy, key, copying, depth)
  }
  return copy
}

/** Replaces `copy[key]` by its copy when it is an object. */
function copyEntry(copy: Data, key: string, copying: Copying, depth: number): void {
  let value = copy[key]
  if (copying.checked && key === '__proto__') throw uncommon
  if (typeof value === 'object' && value !== null) copy[key] = copyValue(value, copying, depth)
  else if (typeof value === 'function' || typeof value === 'symbol') throw uncommon
}

function copyArray(original: unknown[], copying: Copying, depth: number): unknown[] {
  if (!Array.isArray(original)) throw uncommon
  let copy: unknown[] = []
  remember(original, copy, copying)
  for (let index = 0; index < original.length; index++) {
    // devalue keeps holes; a plain copy would fill them.
    if (!(index in original)) throw uncommon
    copy.push(copyValue(original[index], copying, depth))
  }
  return copy
}

function copyMap(
  original: Map<unknown, unknown>,
  copying: Copying,
  depth: number,
): Map<unknown, unknown> {
  let copy = new Map<unknown, unknown>()
  remember(original, copy, copying)
  for (let [key, value] of original)
    copy.set(copyValue(key, copying, depth), copyValue(value, copying, depth))
  return copy
}

function copySet(original: Set<unknown>, copying: Copying, depth: number): Set<unknown> {
  let copy = new Set<unknown>()
  remember(original, copy, copying)
  for (let value of original) copy.add(copyValue(value, copying, depth))
  return copy
}

/**
 * Whether a key was made enumerable on `Object.prototype` (prototype pollution): `for…in` would
 * then list it on every plain object, as if it were data. A copy is then left to devalue, which
 * reads own keys only; checked once per copy, where `Object.keys` in each object would cost a
 * fifth of the copy.
 */
function isPolluted(): boolean {
  for (let _ in {}) return true
  return false
}
