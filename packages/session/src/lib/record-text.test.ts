import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anyValue } from '../test/any-value.ts'
import { patchRecordText } from './record-text.ts'
import { decodeRecord, encodeRecordText, type SessionRecord } from './session-record.ts'

/** A plain value: what a patch may write in place of another. */
const plain = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
)
/** Any value a session may hold, plain or not (a Date keeps the text in devalue's format). */
const anything = fc.oneof(plain, anyValue(), fc.date({ noInvalidDate: true }))
const mostlyPlain = fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: anything, weight: 1 })
// With a Date under `when`, mostly: the text is then in devalue's format, which patches apply to.
const values = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 4 }), mostlyPlain, { maxKeys: 6 }),
    fc.option(fc.date({ noInvalidDate: true }), { freq: 5 }),
  )
  .map(([data, when]) => (when === null ? data : { ...data, when }))

/** Each key of `base.values` and a new value for it (or none), and a new `touchedAt`. */
const changes = (base: Record<string, unknown>) =>
  fc.record({
    set: fc.array(fc.tuple(fc.constantFrom(...Object.keys(base), 'new'), mostlyPlain), {
      maxLength: 3,
    }),
    touchedAt: fc.oneof(
      { arbitrary: fc.integer({ min: 2, max: 2 ** 45 }), weight: 5 },
      fc.double(),
    ),
  })

/** What encodeRecordText writes, or `undefined` when devalue refuses the values. */
function written(record: SessionRecord) {
  try {
    return encodeRecordText(record)
  } catch {
    return undefined
  }
}

describe('patchRecordText', () => {
  it('gives exactly the text and layout a whole write gives, or nothing (1,000 runs)', () => {
    let cases = values.chain((base) => fc.tuple(fc.constant(base), changes(base)))
    let patched = 0
    fc.assert(
      fc.property(cases, ([baseValues, change]) => {
        let base: SessionRecord = { values: baseValues, flash: {}, createdAt: 1, touchedAt: 2 }
        let baseText = written(base)
        fc.pre(baseText !== undefined)
        let record: SessionRecord = {
          values: { ...baseValues, ...Object.fromEntries(change.set) },
          flash: {},
          createdAt: 1,
          touchedAt: change.touchedAt,
        }
        let whole = written(record)
        let keys = change.set.map(([key]) => key)
        let patch = patchRecordText(baseText as { text: string }, base, record, keys)
        if (patch === undefined) return
        patched++
        expect(whole).toBeDefined()
        if (baseText?.layout === undefined) {
          // A text in JSON form stays in it.
          expect(patch).toStrictEqual(whole)
        } else if (whole?.layout === undefined) {
          // Written whole as JSON (all values plain now): the patch reads back the same.
          expect(decodeRecord(patch.text)).toStrictEqual(decodeRecord(whole?.text as string))
        } else {
          expect(patch).toStrictEqual(whole)
        }
      }),
      { numRuns: 1000 },
    )
    // Most cases change plain values of a text in devalue's format: the patch is what is tested.
    expect(patched).toBeGreaterThan(100)
  })

  it('patches patched texts: ten saves of a counter and a timestamp read back exactly', () => {
    let values = { when: new Date(0), count: 0, name: 'ada', list: [1, 'two'] }
    expectChainedPatches({ values, flash: {}, createdAt: 1, touchedAt: 1 }, (save, base) => ({
      values: { ...base.values, count: save * 1000, name: save % 2 ? 'ada "the first"' : 'é' },
      flash: {},
      createdAt: 1,
      touchedAt: 1 + save * 12345,
    }))
  })

  it('writes nothing for a key added or removed, a value that is or was an object, a new createdAt', () => {
    let base: SessionRecord = { values: { when: new Date(0), n: 1, o: {} }, flash: {}, ...times }
    let text = encodeRecordText(base)
    let patch = (values: Record<string, unknown>, keys: string[], createdAt = 1) =>
      patchRecordText(text, base, { values, flash: {}, createdAt, touchedAt: 3 }, keys)
    expect(patch({ ...base.values, n: 2 }, ['n'])).toBeDefined()
    expect(patch({ ...base.values, added: 2 }, ['added'])).toBeUndefined()
    expect(patch({ when: new Date(0), o: {} }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: {} }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, o: 1 }, ['o'])).toBeUndefined()
    expect(patch({ ...base.values, n: undefined }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: Number.NaN }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: 2 }, ['n'], 5)).toBeUndefined()
  })
})

describe('patchRecordText of a text in JSON form', () => {
  /** Values JSON writes exactly: plain values, and plain objects and arrays of them. */
  const key = fc.string({ maxLength: 9 }).filter((name) => name !== '__proto__')
  const jsonValues = fc.dictionary(
    key,
    fc.oneof(
      plain,
      fc.array(plain, { maxLength: 3 }),
      fc.dictionary(key, plain, { noNullPrototype: true }),
    ),
    { maxKeys: 6, noNullPrototype: true },
  )
  /** Keys set (to plain values mostly, or not), keys removed, and a new `touchedAt`. */
  const jsonChanges = (base: Record<string, unknown>) =>
    fc.record({
      set: fc.array(fc.tuple(fc.constantFrom(...Object.keys(base), 'new'), mostlyPlain), {
        maxLength: 3,
      }),
      removed: fc.subarray(Object.keys(base), { maxLength: Math.min(2, Object.keys(base).length) }),
      touchedAt: fc.oneof(
        { arbitrary: fc.integer({ min: 2, max: 2 ** 45 }), weight: 5 },
        fc.double(),
      ),
    })

  it('gives exactly the text a whole write gives, or nothing (1,000 runs)', () => {
    let cases = jsonValues.chain((base) => fc.tuple(fc.constant(base), jsonChanges(base)))
    let patched = 0
    fc.assert(
      fc.property(cases, ([baseValues, change]) => {
        let base: SessionRecord = { values: baseValues, flash: { note: 'hi' }, ...times }
        let baseText = encodeRecordText(base)
        expect(baseText.jsonValuesEnd).toBeDefined()
        let values: Record<string, unknown> = { ...baseValues, ...Object.fromEntries(change.set) }
        for (let key of change.removed) delete values[key]
        let record: SessionRecord = { ...base, values, touchedAt: change.touchedAt }
        let keys = [...change.set.map(([key]) => key), ...change.removed]
        let patch = patchRecordText(baseText, base, record, keys)
        if (patch === undefined) return
        patched++
        expect(patch).toStrictEqual(written(record))
        expect(decodeRecord(patch.text)).toStrictEqual(record)
      }),
      { numRuns: 1000 },
    )
    expect(patched).toBeGreaterThan(300)
  })

  it('patches patched texts: ten saves of a counter and a name, a key added then removed', () => {
    let first: SessionRecord = {
      values: { count: 0, cart: [1, 2] },
      flash: { note: 'hi' },
      ...times,
    }
    expectChainedPatches(first, (save, base) => {
      let values: Record<string, unknown> = { ...base.values, count: save, name: `é "${save}"` }
      if (save === 10) delete values.name
      return { ...base, values, touchedAt: 2 + save * 12345 }
    })
  })

  it('writes nothing for an object, -0, NaN, an own undefined, a new createdAt or an index', () => {
    let base: SessionRecord = { values: { n: 1, o: { a: 1 } }, flash: {}, ...times }
    let text = encodeRecordText(base)
    let patch = (values: Record<string, unknown>, keys: string[], change = {}) =>
      patchRecordText(text, base, { ...base, values, touchedAt: 3, ...change }, keys)
    expect(patch({ ...base.values, n: 2 }, ['n'])).toBeDefined()
    expect(patch({ ...base.values, n: {} }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: [] }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: -0 }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: Number.NaN }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: undefined }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: new Date(0) }, ['n'])).toBeUndefined()
    expect(patch({ ...base.values, n: 2 }, ['n'], { createdAt: 5 })).toBeUndefined()
    expect(patch({ ...base.values, n: 2 }, ['n'], { touchedAt: Number.NaN })).toBeUndefined()
    expect(patch({ ...base.values, n: 2 }, ['n'], { indexedUntil: 9 })).toBeUndefined()
    expect(patch({ ...base.values, ['__proto__']: 2 }, ['__proto__'])).toBeUndefined()
    // A text written without knowing where its values end (encodeRecord) is written whole.
    expect(
      patchRecordText({ text: text.text }, base, { ...base, touchedAt: 3 }, []),
    ).toBeUndefined()
  })
})

const times = { createdAt: 1, touchedAt: 2 }

/**
 * Saves `first` ten times, each save the record `next` makes from the one before (changing it
 * under `count` and `name`) and patching the text before: each patch must be exactly the whole
 * write, and read back as its record.
 */
function expectChainedPatches(
  first: SessionRecord,
  next: (save: number, base: SessionRecord) => SessionRecord,
): void {
  let base = first
  let text = encodeRecordText(base)
  for (let save = 1; save <= 10; save++) {
    let record = next(save, base)
    let patch = patchRecordText(text, base, record, ['count', 'name'])
    expect(patch).toStrictEqual(encodeRecordText(record))
    expect(decodeRecord(patch?.text as string)).toStrictEqual(record)
    text = patch as typeof text
    base = record
  }
}
