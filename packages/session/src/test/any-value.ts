import fc from 'fast-check'

/**
 * Any value of the kinds devalue serializes, boxed values and typed arrays among them, and now and
 * then one it refuses (an object with an own `__proto__` key), for property tests that compare a
 * fast path with devalue's own round trip: a test must expect a throw for those.
 */
export function anyValue(options: { unicode?: boolean } = {}): fc.Arbitrary<unknown> {
  return fc.anything({
    withDate: true,
    withMap: true,
    withSet: true,
    withBigInt: true,
    withSparseArray: true,
    withNullPrototype: true,
    withBoxedValues: true,
    withTypedArray: true,
    withUnicodeString: options.unicode ?? false,
  })
}
