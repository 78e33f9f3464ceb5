import type { Measurement } from './rounds.ts'
import { median } from './stats.ts'

/**
 * How a column's values compare:
 * - `time`: time per operation, lower is better; the ratio is baseline ÷ value (speed, 2 = twice as fast);
 * - `rate`: operations per second, higher is better; the ratio is value ÷ baseline (2 = twice the rate);
 * - `cost`: latency or bytes, lower is better; the ratio is value ÷ baseline (2 = twice the cost).
 */
export type ColumnKind = 'time' | 'rate' | 'cost'

/** One column of a result table: one benchmark (or one metric of it) for every row. */
export interface Column {
  label: string
  kind: ColumnKind
  /** Formats an absolute value, with its unit. */
  format: (value: number) => string
  /** Name of the row that ratios are relative to, measured in the same run. */
  baseline: string
  /** Which metric of each {@link Measurement} this column shows. Default 0. */
  metric?: number
  measurements: Map<string, Measurement>
}

/** A table of results: competitors as rows, benchmarks as columns. */
export interface ResultTable {
  title: string
  /** What the table measures and how to read its ratios (Markdown). */
  description: string
  rows: string[]
  columns: Column[]
  notes?: string[]
}

/** The median of `row` in `column`, or `undefined` when the row was not measured there. */
function cellValue(column: Column, row: string): number | undefined {
  return column.measurements.get(row)?.medians[column.metric ?? 0]
}

/** `value` relative to `base`, oriented as {@link ColumnKind} says; `undefined` for 0 or NaN. */
function orientedRatio(kind: ColumnKind, value: number, base: number): number | undefined {
  let ratio = kind === 'time' ? base / value : value / base
  return value === 0 || base === 0 || !Number.isFinite(ratio) ? undefined : ratio
}

/**
 * The ratio of `row` to the column's baseline: the median, over the rounds, of the ratio of the
 * row's run to the baseline's run of the same round (runs of one batch pair by index, see
 * `Measurement.runs`), so that a slow patch of the machine as long as a round, which hits both,
 * cancels out. `undefined` (shown as `–`) when any round has no usable ratio.
 *
 * @throws {Error} when the row and its baseline were not measured together: their runs do not pair.
 */
function cellRatio(column: Column, row: string): number | undefined {
  let metric = column.metric ?? 0
  let measured = column.measurements.get(row)
  let baseline = column.measurements.get(column.baseline)
  if (measured === undefined || baseline === undefined) return undefined
  if (measured.batch !== baseline.batch || measured.runs.length !== baseline.runs.length) {
    throw new Error(`${column.label}: ${row} and ${column.baseline} were not measured together`)
  }
  let ratios: number[] = []
  for (let [round, run] of measured.runs.entries()) {
    let base = baseline.runs[round]?.[metric]
    let ratio = orientedRatio(column.kind, run[metric] as number, base as number)
    if (ratio === undefined) return undefined
    ratios.push(ratio)
  }
  return ratios.length === 0 ? undefined : median(ratios)
}

/**
 * `†` for a row whose first runs spread over 15% (re-run once, steady then), `‡` for one whose
 * re-run spread over 15%.
 */
function flagMark(column: Column, row: string): string {
  let flag = column.measurements.get(row)?.flag
  return flag === 're-run' ? '†' : flag === 'noisy' ? '‡' : ''
}

/** A ratio with two decimals, or two significant digits below 0.1 (`0.0025`, not `0.00`). */
function formatRatio(ratio: number): string {
  return ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)
}

/** A cell as text: the ratio, its flag, and the absolute median in parentheses. */
export function formatCell(column: Column, row: string): string {
  let value = cellValue(column, row)
  let ratio = cellRatio(column, row)
  if (value === undefined || ratio === undefined) return '–'
  return `${formatRatio(ratio)}×${flagMark(column, row)} (${column.format(value)})`
}
