/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median() of no values')
  let sorted = [...values].sort((a, b) => a - b)
  let middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** Relative spread of `values`: (max − min) / median. `0` for a single value. */
export function spread(values: readonly number[]): number {
  let middle = median(values)
  if (middle === 0) return 0
  return (Math.max(...values) - Math.min(...values)) / Math.abs(middle)
}
