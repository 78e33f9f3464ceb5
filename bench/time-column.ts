import type { Column } from './result-table.ts'
import type { Measurement } from './rounds.ts'
import { formatNanoseconds } from './units.ts'

/**
 * A column of times per operation in nanoseconds (tinybench's, see `measureTasks`), shown as
 * speeds relative to the row `baseline`.
 */
export function timeColumn(
  label: string,
  baseline: string,
  measurements: Map<string, Measurement>,
): Column {
  return { label, kind: 'time', format: formatNanoseconds, baseline, measurements }
}

/**
 * The {@link timeColumn} of `part`, from measurements of tasks named `<row>|<part>`: for tables
 * whose columns are parts (serialize, parse) of one interleaved measurement.
 */
export function partTimeColumn(
  all: Map<string, Measurement>,
  rows: readonly string[],
  part: string,
  baseline: string,
  label = part,
): Column {
  let measurements = new Map(
    rows.flatMap((row) => {
      let measurement = all.get(`${row}|${part}`)
      return measurement ? [[row, measurement] as const] : []
    }),
  )
  return timeColumn(label, baseline, measurements)
}
