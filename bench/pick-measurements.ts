import type { Measurement } from './rounds.ts'

/**
 * From measurements of tasks named `<row>|<part>`, the ones of `part`, keyed by row: for tables
 * whose columns are parts (serialize, parse) of one interleaved measurement.
 */
export function pickMeasurements(
  all: Map<string, Measurement>,
  rows: readonly string[],
  part: string,
): Map<string, Measurement> {
  return new Map(
    rows.flatMap((row) => {
      let measurement = all.get(`${row}|${part}`)
      return measurement ? [[row, measurement] as const] : []
    }),
  )
}
