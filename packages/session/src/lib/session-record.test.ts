import * as devalue from 'devalue'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anyValue } from '../test/any-value.ts'
import { decodeRecord, encodeRecord, type SessionRecord } from './session-record.ts'

const times = { createdAt: 1_700_000_000_000, touchedAt: 1_700_000_100_000 }
const record = (values: Record<string, unknown>, flash: Record<string, unknown> = {}) =>
  ({ values, flash, ...times }) as SessionRecord

describe('encodeRecord', () => {
  it('writes JSON after the tag J when JSON gives every value back exactly', () => {
    let text = encodeRecord(
      record(
        { user: 'ada', cart: [{ sku: 'A-1', quantity: 2, price: 19.99 }], admin: false },
        { notice: null },
      ),
    )
    expect(text).toBe(
      'J[{"user":"ada","cart":[{"sku":"A-1","quantity":2,"price":19.99}],"admin":false},{"notice":null},1700000000000,1700000100000]',
    )
  })

  it.each([
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1])],
    ['a BigInt', 10n],
    ['a URL', new URL('https://example.com/')],
    ['a RegExp', /a/g],
    ['undefined', undefined],
    ['-0', -0],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a sparse array', Object.assign([], { 0: 1, 2: 3 })],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
    ['a nested Date', { at: [new Date(0)] }],
  ])('writes devalue’s format for %s, which JSON would not give back', (_, value) => {
    let text = encodeRecord(record({ value }))
    expect(text.startsWith('[')).toBe(true)
    expect(decodeRecord(text)?.values.value).toStrictEqual(value)
  })

  it('writes devalue’s format for a repeated reference, which JSON would duplicate', () => {
    let shared = { n: 1 }
    let decoded = decodeRecord(encodeRecord(record({ a: shared, b: shared }, { c: shared })))
    expect(decoded?.values.a).toBe(decoded?.values.b)
    expect(decoded?.flash.c).toBe(decoded?.values.a)
  })

  it('keeps indexedUntil, Infinity included, in the JSON form', () => {
    for (let indexedUntil of [1_700_000_200_000, Number.POSITIVE_INFINITY]) {
      let text = encodeRecord({ ...record({ a: 1 }), indexedUntil })
      expect(text.startsWith('J')).toBe(true)
      expect(decodeRecord(text)).toStrictEqual({ ...record({ a: 1 }), indexedUntil })
    }
  })

  it('throws devalue’s error for a value devalue refuses, as before', () => {
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what devalue refuses
    let thenableArray = Object.assign([1], { then: () => {} })
    for (let value of [
      () => 1,
      new (class Point {})(),
      { [Symbol('s')]: 1 },
      // JSON would drop the method; devalue refuses the thenable.
      { list: thenableArray },
      Object.create(Date.prototype),
    ]) {
      expect(() => encodeRecord(record({ value }))).toThrow(devalue.DevalueError)
    }
  })

  it.each([
    ['plain arrays', 20_000, 1],
    ['arrays around a Date', 2500, new Date(0)],
  ])('writes %s nested %i deep only as a record that reads back, else throws', (_, depth, leaf) => {
    let value: unknown = leaf
    for (let level = 0; level < depth; level++) value = [value]
    let text: string
    try {
      text = encodeRecord(record({ value }))
    } catch {
      return // refused at save: devalue refuses it too
    }
    expect(decodeRecord(text)).not.toBeNull()
  })

  it('writes plain data nested past the writers’ depth in devalue’s format, which reads it back', () => {
    let value: unknown = 'leaf'
    for (let level = 0; level < 1200; level++) value = { next: value }
    let text = encodeRecord(record({ value }))
    expect(text.startsWith('[')).toBe(true)
    expect(decodeRecord(text)?.values.value).toStrictEqual(value)
  })

  it('reads back what devalue would, or throws as it does, for any data (300 runs)', () => {
    let data = fc.dictionary(fc.string(), anyValue())
    let readBack = (write: (value: SessionRecord) => unknown, value: SessionRecord) => {
      try {
        return { value: write(value) }
      } catch (error) {
        return { error: (error as Error).message }
      }
    }
    fc.assert(
      fc.property(data, data, (values, flash) => {
        let original = record(values, flash)
        expect(readBack((value) => decodeRecord(encodeRecord(value)), original)).toStrictEqual(
          readBack((value) => {
            let [values, flash, createdAt, touchedAt] = devalue.parse(
              devalue.stringify([value.values, value.flash, value.createdAt, value.touchedAt]),
            )
            return { values, flash, createdAt, touchedAt }
          }, original),
        )
      }),
      { numRuns: 300 },
    )
  })
})

describe('decodeRecord', () => {
  it('reads records in devalue’s format, as every earlier version wrote them', () => {
    let values = { user: 'ada', at: new Date(0), tags: new Set(['a']) }
    let text = devalue.stringify([values, { notice: 'hi' }, times.createdAt, times.touchedAt])
    expect(decodeRecord(text)).toStrictEqual(record(values, { notice: 'hi' }))
  })

  it.each([
    ['a __proto__ key', 'J[{"__proto__":{"polluted":1}},{},1,2]'],
    ['a nested __proto__ key', 'J[{"a":[{"b":{"__proto__":1}}]},{},1,2]'],
    ['a __proto__ key spelled with escapes', 'J[{"\\u005f_proto__":1},{},1,2]'],
    ['a __proto__ key in flash', 'J[{},{"__proto\\u005f_":1},1,2]'],
    ['values that are not an object', 'J[[],{},1,2]'],
    ['a time that is not a number', 'J[{},{},"1",2]'],
    ['too few fields', 'J[{},{},1]'],
    ['too many fields', 'J[{},{},1,2,3,4]'],
    ['an indexedUntil that is not a number', 'J[{},{},1,2,"x"]'],
    ['truncated JSON', 'J[{"a":1},{},1,'],
    ['no JSON at all', 'Jhello'],
    ['a tag alone', 'J'],
  ])('refuses a JSON record with %s', (_, text) => {
    expect(decodeRecord(text)).toBeNull()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reads a string value "__proto__", which is no key', () => {
    expect(decodeRecord('J[{"a":"__proto__"},{},1,2]')?.values).toStrictEqual({ a: '__proto__' })
  })

  it('never throws, whatever follows the tag (500 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        let decoded = decodeRecord(`J${text}`)
        expect(decoded === null || typeof decoded === 'object').toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
