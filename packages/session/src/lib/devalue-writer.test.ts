import * as devalue from 'devalue'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anyValue } from '../test/any-value.ts'
import { maxWrittenDepth, stringifyValue, stringifyWithLayout } from './devalue-writer.ts'
import { isoString } from './iso-string.ts'

/** What any value reads back as: `stringifyValue` must give the same as devalue's own text. */
const anything = anyValue({ unicode: true })

/** What `write` gives back through `devalue.parse`, or the message of what it throws. */
function readBack(write: (value: unknown) => string, value: unknown): unknown {
  try {
    return { value: devalue.parse(write(value)) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

describe('stringifyValue', () => {
  it('writes text devalue reads back as it reads devalue’s own, or throws as it does, for any value (1,000 runs)', () => {
    fc.assert(
      fc.property(anything, (value) => {
        expect(readBack(stringifyValue, value)).toStrictEqual(readBack(devalue.stringify, value))
      }),
      { numRuns: 1000 },
    )
  })

  it('keeps the types sessions hold, and every special number', () => {
    let value = {
      at: new Date('2025-01-15T10:30:00.000Z'),
      invalid: new Date(Number.NaN),
      ancient: new Date(-8.64e15),
      prefs: new Map<unknown, unknown>([
        ['theme', 'dark'],
        [{ key: 1 }, [1, 2]],
      ]),
      tags: new Set(['a', 'b']),
      big: 12345678901234567890n,
      url: new URL('https://example.com/a?b=c#d'),
      pattern: /a+"b\//giu,
      plain: /x/,
      numbers: [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 5e-7],
      nothing: [undefined, null, true, false],
      text: 'quote " backslash \\ newline \n tab \t lone \uD800 pair 😀 <script> \u2028',
    }
    let text = stringifyValue(value)
    expect(devalue.parse(text)).toStrictEqual(value)
    expect(devalue.parse(text)).toStrictEqual(devalue.parse(devalue.stringify(value)))
  })

  it('keeps repeated and cyclic references', () => {
    let shared = { n: 1 }
    let cyclic: Record<string, unknown> = { shared }
    cyclic.self = cyclic
    let read = devalue.parse(stringifyValue([shared, shared, cyclic, new Map([[shared, cyclic]])]))
    expect(read[0]).toBe(read[1])
    expect(read[2].self).toBe(read[2])
    expect(read[2].shared).toBe(read[0])
    expect([...read[3]][0]).toStrictEqual([read[0], read[2]])
  })

  it('writes a value devalue stands for with a number as devalue does', () => {
    expect(stringifyValue(undefined)).toBe(devalue.stringify(undefined))
    expect(stringifyValue(-0)).toBe(devalue.stringify(-0))
    expect(stringifyValue(Number.NaN)).toBe(devalue.stringify(Number.NaN))
  })

  it('throws devalue’s own error for what devalue refuses', () => {
    class Point {}
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what devalue refuses
    let thenable = { then: () => {} }
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what devalue refuses
    let dated = Object.assign(new Date(0), { then: () => {} })
    for (let value of [
      { f: () => 1 },
      [Symbol('s')],
      new Point(),
      { [Symbol('key')]: 1 },
      thenable,
      dated,
      JSON.parse('{"__proto__":1}'),
      // Fakes that fail inside their own methods: devalue refuses them as non-POJOs.
      Object.create(Date.prototype),
      Object.create(RegExp.prototype),
    ]) {
      let expected: unknown
      try {
        devalue.stringify(value)
      } catch (error) {
        expected = error
      }
      expect(expected).toBeInstanceOf(devalue.DevalueError)
      expect(() => stringifyValue(value)).toThrow((expected as Error).message)
    }
  })
})

describe('stringifyValue on deep values', () => {
  /** `value` in `depth` arrays, one inside the other. */
  function nested(value: unknown, depth: number): unknown {
    for (let level = 0; level < depth; level++) value = [value]
    return value
  }

  it.each([
    ['a deep tree', () => nested(1, 2500)],
    ['a deep tree far past the stack', () => nested(new Date(0), 20_000)],
  ])('writes %s only as text devalue reads back, else leaves it to devalue', (_, make) => {
    let value = make()
    let text: string
    try {
      text = stringifyValue(value)
    } catch {
      return // refused at save: devalue refuses it too
    }
    // Left to devalue (no layout: the writer gave up): devalue's own text, which it may or may not
    // read back depending on the stack left where it reads, as it always was. Asking the writer,
    // not comparing with a second devalue.stringify, which may overflow where the first did not.
    if (stringifyWithLayout(value).layout === undefined) return
    expect(() => devalue.parse(text)).not.toThrow()
  })

  it('leaves a shallow value whose repeated references make a long path to devalue', () => {
    // Written level by level, this is three levels deep; read depth first, one level per link.
    function chain(length: number) {
      let links = Array.from({ length }, () => ({ next: null as unknown }))
      links.forEach((link, index) => {
        link.next = links[index + 1] ?? 'end'
      })
      return { links }
    }
    // No layout: devalue wrote the text.
    expect(stringifyWithLayout(chain(maxWrittenDepth + 200)).layout).toBeUndefined()
    expect(stringifyWithLayout(chain(maxWrittenDepth - 10)).layout).toBeDefined()
    let value = chain(maxWrittenDepth + 200)
    expect(devalue.parse(stringifyValue(value))).toStrictEqual(value)
  })

  it(`writes a value nested ${maxWrittenDepth} levels deep itself, as devalue reads it`, () => {
    let value = nested(new Date(0), maxWrittenDepth - 1)
    expect(devalue.parse(stringifyValue(value))).toStrictEqual(value)
  })
})

describe('isoString', () => {
  it('gives what toISOString gives, for any valid time (2,000 runs) and the edges', () => {
    let times = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: -62_167_219_200_001, max: 253_402_300_800_000 }),
    )
    fc.assert(
      fc.property(times, (time) => {
        expect(isoString(time)).toBe(new Date(time).toISOString())
      }),
      { numRuns: 2000 },
    )
    for (let time of [
      0, -1, 8.64e15, -8.64e15, -62_167_219_200_000, 253_402_300_799_999, 951_782_400_000,
    ]) {
      expect(isoString(time)).toBe(new Date(time).toISOString())
    }
    expect(isoString(Number.NaN)).toBe('')
  })
})
