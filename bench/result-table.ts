import type { Measurement } from './rounds.ts'

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

/** The ratio of `row` to the column's baseline, oriented as {@link ColumnKind} says. */
function cellRatio(column: Column, row: string): number | undefined {
  let value = cellValue(column, row)
  let base = cellValue(column, column.baseline)
  if (value === undefined || base === undefined || value === 0 || base === 0) return undefined
  return column.kind === 'time' ? base / value : value / base
}

/** `†` for a row re-run once because its runs spread over 15%, `‡` when still noisy after it. */
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
