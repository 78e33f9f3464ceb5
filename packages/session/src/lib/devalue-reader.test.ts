import * as devalue from 'devalue'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anyValue } from '../test/any-value.ts'
import { parseValue } from './devalue-reader.ts'
import { stringifyValue } from './devalue-writer.ts'

/** What `write` gives for `value`, or `undefined` where it throws. */
function written(write: (value: unknown) => string, value: unknown): string | undefined {
  try {
    return write(value)
  } catch {
    return undefined
  }
}

describe('parseValue', () => {
  it('reads what devalue.parse reads, for any value written by devalue or by stringifyValue', () => {
    fc.assert(
      fc.property(anyValue(), (value) => {
        for (let write of [devalue.stringify, stringifyValue]) {
          // Both refuse what devalue refuses (a `__proto__` key): the writer's tests check it.
          let text = written(write, value)
          if (text !== undefined) expect(parseValue(text)).toEqual(devalue.parse(text))
        }
      }),
    )
  })

  it('keeps the values devalue writes apart from plain ones: undefined, NaN, ±Infinity, -0', () => {
    let specials = [undefined, Number.NaN, Infinity, -Infinity, -0, 0, -1, -2, -6, '', '-1', null]
    for (let value of specials) {
      expect(Object.is(parseValue(devalue.stringify(value)), value)).toBe(true)
    }
    // A lone entry that is an object is a value devalue revives (a Date here), not the entry.
    let when = new Date(0)
    expect(parseValue(devalue.stringify(when))).toEqual(when)
    expect(parseValue('[["Date","1970-01-01T00:00:00.000Z"]]')).toBeInstanceOf(Date)
  })

  it('throws, as devalue does, for text that is not in its format', () => {
    for (let text of ['', '[', '[]', '"text"', '{}', '[1', 'undefined', '[{"a":5}]']) {
      expect(() => devalue.parse(text)).toThrow()
      expect(() => parseValue(text)).toThrow()
    }
  })
})
