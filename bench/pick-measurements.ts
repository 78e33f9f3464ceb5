import type { Column } from './result-table.ts'
import type { Measurement } from './rounds.ts'
import { formatNanoseconds } from './units.ts'

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

/**
 * A column of times for `part` of an interleaved measurement (see {@link pickMeasurements}), as
 * ratios to the row `baseline`.
 */
export function timeColumn(
  all: Map<string, Measurement>,
  rows: readonly string[],
  part: string,
  baseline: string,
  label = part,
): Column {
  return {
    label,
    kind: 'time',
    format: formatNanoseconds,
    baseline,
    measurements: pickMeasurements(all, rows, part),
  }
}
