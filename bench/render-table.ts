import { type Alignment, markdownTable } from './markdown-table.ts'
import { type Column, formatCell, type ResultTable } from './result-table.ts'
import { formatPercent } from './units.ts'

function cells(table: ResultTable): string[][] {
  return [
    ['', ...table.columns.map((column) => column.label)],
    ...table.rows.map((row) => [row, ...table.columns.map((column) => formatCell(column, row))]),
  ]
}

/** The table as aligned plain text, for the terminal. */
export function renderText(table: ResultTable): string {
  let grid = cells(table)
  let widths = (grid[0] ?? []).map((_, index) =>
    Math.max(...grid.map((line) => (line[index] ?? '').length)),
  )
  let lines = grid.map((line) =>
    line
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  )
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '))
  return [`${table.title}`, ...lines, ...(table.notes ?? []).map((note) => `  note: ${note}`)].join(
    '\n',
  )
}

/** The table as Markdown, with its description and notes. */
export function renderMarkdown(table: ResultTable): string {
  let [header = [], ...body] = cells(table)
  let alignments = header.map((_, index): Alignment => (index === 0 ? 'left' : 'right'))
  return [
    `### ${table.title}`,
    '',
    table.description,
    '',
    markdownTable(header, body, alignments),
    ...(table.notes && table.notes.length > 0
      ? ['', ...table.notes.map((note) => `- ${note}`)]
      : []),
  ].join('\n')
}

/** Every run of every cell of the table, with its spread and flag, as a Markdown list. */
export function renderRunDetails(table: ResultTable): string {
  let lines = [`#### ${table.title}`, '']
  for (let column of table.columns) {
    for (let row of table.rows) {
      let detail = runDetail(column, row)
      if (detail !== undefined) lines.push(`- ${column.label} / ${row}: ${detail}`)
    }
  }
  return lines.join('\n')
}

function runDetail(column: Column, row: string): string | undefined {
  let measurement = column.measurements.get(row)
  if (measurement === undefined) return undefined
  let metric = column.metric ?? 0
  let runs = measurement.runs.map((run) => column.format(run[metric] as number)).join(', ')
  let spreadText = `spread ${formatPercent(measurement.spread)}`
  if (measurement.rerunSpread !== undefined) {
    let why = measurement.flag === 'ok' ? 're-run with the others' : measurement.flag
    spreadText += `, re-run spread ${formatPercent(measurement.rerunSpread)} (${why})`
  }
  return metric === 0 ? `${runs} (${spreadText})` : runs
}

/** A table rendered for RESULTS.md, as a process of one Node version sends it to `run.ts`. */
export interface RenderedTable {
  /** The section that produced it. */
  section: string
  /** {@link renderMarkdown}. */
  markdown: string
  /** {@link renderRunDetails}. */
  runDetails: string
}

/** `table` of `section`, rendered for RESULTS.md. */
export function renderForReport(section: string, table: ResultTable): RenderedTable {
  return { section, markdown: renderMarkdown(table), runDetails: renderRunDetails(table) }
}
