import { describe, expectTypeOf, it } from 'vitest'
import type { Params } from './params.ts'
import type { JoinPatterns } from './route-map.ts'
import type { joinCases, paramCases } from './route-pattern.test.ts'

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** The rows whose `JoinPatterns` differs from what `joinPatterns` returns. */
type JoinMismatches<Rows extends readonly unknown[]> = {
  [Row in keyof Rows]: Rows[Row] extends readonly [
    infer Prefix extends string,
    infer Child extends string,
    infer Joined,
  ]
    ? Equal<JoinPatterns<Prefix, Child>, Joined> extends true
      ? never
      : { prefix: Prefix; child: Child; runtime: Joined; type: JoinPatterns<Prefix, Child> }
    : never
}[number]

/** The params type a row of `paramCases` describes. */
type ParamsOf<Kinds> = {
  -readonly [Name in keyof Kinds]: Kinds[Name] extends 'required' ? string : string | undefined
}

/** The rows whose `Params` differs from what the parser finds. */
type ParamMismatches<Rows extends readonly unknown[]> = {
  [Row in keyof Rows]: Rows[Row] extends readonly [infer Pattern extends string, infer Kinds]
    ? Equal<Params<Pattern>, ParamsOf<Kinds>> extends true
      ? never
      : { pattern: Pattern; runtime: ParamsOf<Kinds>; type: Params<Pattern> }
    : never
}[number]

describe('JoinPatterns', () => {
  it('types every row of the runtime table as joinPatterns returns it', () => {
    expectTypeOf<JoinMismatches<typeof joinCases>>().toEqualTypeOf<never>()
  })
})

describe('Params', () => {
  it('types every row of the runtime table with the params the parser finds', () => {
    expectTypeOf<ParamMismatches<typeof paramCases>>().toEqualTypeOf<never>()
  })
})
