import { Cookie as CookieHeader } from '@remix-run/headers/cookie'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cookieValues } from './cookie-values.ts'

describe('cookieValues', () => {
  it('finds every cookie of the name, trimmed and unquoted, and nothing of other names', () => {
    let header = ' theme=dark;sid=a.b ; sidx=no; xsid=no;  sid = "q\\"uoted" ;sid=;other'
    expect(cookieValues(header, 'sid')).toEqual(['a.b', 'q"uoted', ''])
    expect(cookieValues('', 'sid')).toEqual([])
    expect(cookieValues('sid', 'sid')).toEqual([])
  })

  it('gives the values @remix-run/headers gives, for 1,000 random headers', () => {
    let name = fc.constantFrom('sid', 'sid2', 'xsid', '_ga', 'theme')
    let plain = fc.stringMatching(/^[A-Za-z0-9._~!#$%&'()*+\-/:<>?@[\]^`{|}=]{0,40}$/)
    let quoted = plain.map((text) => `"${text}"`)
    let space = fc.constantFrom('', ' ', '  ', '\t')
    let pair = fc
      .tuple(space, name, space, space, fc.oneof(plain, quoted), space)
      .map(([a, key, b, c, value, d]) => `${a}${key}${b}=${c}${value}${d}`)
    let header = fc.array(pair, { maxLength: 12 }).map((pairs) => pairs.join(';'))
    fc.assert(
      fc.property(header, (text) => {
        expect(cookieValues(text, 'sid')).toEqual(new CookieHeader(text).getAll('sid'))
      }),
      { numRuns: 1000 },
    )
  })

  it("ends a pair at a `;` inside another cookie's quoted value (the documented difference)", () => {
    expect(cookieValues('a="x;sid=y"', 'sid')).toEqual(['y"'])
    expect(new CookieHeader('a="x;sid=y"').getAll('sid')).toEqual([])
  })
})
