import * as devalue from 'devalue'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anyValue } from '../test/any-value.ts'
import { copyRecord, keepRecord, lendsValues } from './record-copy.ts'
import { decodeRecord, encodeRecord, type SessionRecord } from './session-record.ts'

const times = { createdAt: 1, touchedAt: 2 }
const record = (values: Record<string, unknown>, flash: Record<string, unknown> = {}) =>
  ({ values, flash, ...times }) as SessionRecord

const anything = anyValue()

/** What a devalue round trip of the record gives, or the message of what devalue throws. */
function roundTrip(original: SessionRecord): unknown {
  try {
    let [values, flash] = devalue.parse(devalue.stringify([original.values, original.flash]))
    return { value: { values, flash, ...times } }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

function outcome(copy: () => SessionRecord): unknown {
  try {
    // Its string keys: a kept record also carries a symbol saying how it was copied.
    return { value: Object.fromEntries(Object.entries(copy())) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** Every object reachable from `value`, through properties, array items, Map and Set entries. */
function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null || found.has(value)) return found
  found.add(value)
  let inner =
    value instanceof Map
      ? [...value].flat()
      : value instanceof Set
        ? [...value]
        : Object.values(value)
  for (let item of inner) objectsIn(item, found)
  return found
}

describe('keepRecord and copyRecord', () => {
  it('give what a devalue round trip gives, or throw as it does, for any data (500 runs)', () => {
    let data = fc.dictionary(fc.string(), anything)
    fc.assert(
      fc.property(data, data, (values, flash) => {
        let original = record(values, flash)
        let expected = roundTrip(original)
        expect(outcome(() => keepRecord(original, undefined))).toStrictEqual(expected)
        if ('value' in (expected as object)) {
          expect(copyRecord(keepRecord(original, undefined))).toStrictEqual(
            (expected as { value: unknown }).value,
          )
        }
      }),
      { numRuns: 500 },
    )
  })

  it('share no object with what they copy (300 runs)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), anything), (values) => {
        let original = record(values)
        let kept = outcome(() => keepRecord(original, undefined)) as { value?: SessionRecord }
        fc.pre(kept.value !== undefined)
        let copy = copyRecord(kept.value as SessionRecord)
        let before = objectsIn(original)
        let keptObjects = objectsIn(kept.value)
        for (let object of objectsIn(copy)) {
          expect(before.has(object)).toBe(false)
          expect(keptObjects.has(object)).toBe(false)
        }
        for (let object of keptObjects) expect(before.has(object)).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('give a round trip’s copy for a record handed over (owned), keeping its two objects (500 runs)', () => {
    let data = fc.dictionary(fc.string(), anything)
    fc.assert(
      fc.property(data, data, (values, flash) => {
        let original = record(values, flash)
        let expected = roundTrip(original)
        let kept = outcome(() => keepRecord(original, undefined, true))
        expect(kept).toStrictEqual(expected)
        // Kept as they are (when copied directly), or read as they were by devalue's round trip.
        let direct = 'value' in (kept as object) && lendsValues(keepRecord(original, undefined))
        if (direct) expect(keepRecord(original, undefined, true).values).toBe(original.values)
      }),
      { numRuns: 500 },
    )
  })

  it('leave a record handed over as it was when a flash value needs devalue: values too', () => {
    let shared = { n: 1 }
    let original = record({ a: shared }, { b: shared, c: new Uint8Array(1) })
    let kept = keepRecord(original, undefined, true)
    expect(original.values.a).toBe(shared)
    expect(kept.values.a).toBe(kept.flash.b)
  })

  it('leave a record handed over as it was when a value needs devalue: shared objects stay shared', () => {
    let shared = { n: 1 }
    // `a` is copied before the typed array sends the whole record to devalue's round trip.
    let original = record({ a: shared, b: [shared], c: new Uint8Array(1) })
    let kept = keepRecord(original, undefined, true)
    expect(original.values.a).toBe(shared)
    expect(kept.values.a).toBe((kept.values.b as unknown[])[0])
    expect(kept.values.a).not.toBe(shared)
  })

  it('keep repeated references across values and flash', () => {
    let shared = { n: 1 }
    let copy = copyRecord(keepRecord(record({ a: shared, b: [shared] }, { c: shared }), undefined))
    expect(copy.values.a).toBe((copy.values.b as unknown[])[0])
    expect(copy.flash.c).toBe(copy.values.a)
    expect(copy.values.a).not.toBe(shared)
  })

  it('share with the record kept before the values it holds under the same key, and copy the rest', () => {
    let previous = keepRecord(record({ cart: [{ sku: 'A' }], visits: 1 }), undefined)
    let changed = { ...previous.values, visits: 2, note: { text: 'new' } }
    let note = changed.note
    let kept = keepRecord(record(changed), previous)
    expect(kept.values.cart).toBe(previous.values.cart)
    expect(kept.values.note).toStrictEqual(note)
    expect(kept.values.note).not.toBe(note)
  })

  it('copy own keys only, never a key enumerable on a polluted Object.prototype', () => {
    let kept = keepRecord(record({ user: { name: 'ada' } }), undefined)
    let prototype = Object.prototype as Record<string, unknown>
    try {
      prototype.polluted = { evil: true }
      let saved = keepRecord(record({ user: { name: 'ada' }, visits: 1 }), undefined)
      let handedOut = copyRecord(kept)
      for (let copy of [saved, handedOut]) {
        expect(Object.keys(copy.values)).not.toContain('polluted')
        expect(Object.keys(copy.values.user as object)).toEqual(['name'])
      }
    } finally {
      delete prototype.polluted
    }
  })

  it('throw devalue’s own error for an object faking a Date or a RegExp', () => {
    for (let fake of [Object.create(Date.prototype), Object.create(RegExp.prototype)]) {
      expect(() => keepRecord(record({ fake }), undefined)).toThrow(devalue.DevalueError)
    }
  })

  it('keep a deep value only when its text reads back, else throw as devalue does', () => {
    for (let [depth, leaf] of [
      [2500, new Date(0)],
      [5000, 1],
    ] as const) {
      let value: unknown = leaf
      for (let level = 0; level < depth; level++) value = [value]
      let kept: SessionRecord
      try {
        kept = keepRecord(record({ value }), undefined)
      } catch {
        continue // refused at save: devalue refuses it too
      }
      expect(decodeRecord(encodeRecord(kept)), `depth ${depth}`).not.toBeNull()
    }
  })

  it('copy a kept record however deep it was read (JSON text an earlier version wrote)', () => {
    let text = `J[{"value":${'['.repeat(2000)}1${']'.repeat(2000)}},{},1,2]`
    let kept = decodeRecord(text) as SessionRecord
    expect(copyRecord(kept)).toStrictEqual(kept)
  })

  it('refuse a __proto__ key at the top, as devalue does, without setting a prototype', () => {
    let values = JSON.parse('{"__proto__":{"polluted":1}}')
    expect(() => keepRecord(record(values), undefined)).toThrow(devalue.DevalueError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
