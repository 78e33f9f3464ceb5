import fc from 'fast-check'

/**
 * Any value of the kinds devalue serializes (and some it refuses: boxed values, typed arrays),
 * for property tests that compare a fast path with devalue's own round trip.
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
