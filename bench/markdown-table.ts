/** How a Markdown table column is aligned. */
export type Alignment = 'left' | 'right'

/**
 * A Markdown table with its cells padded to their column's width, as the repository's formatter
 * (Biome) writes them, so generated files pass `biome ci`.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignments: readonly Alignment[],
): string {
  let widths = header.map((cell, index) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[index] ?? '').length)),
  )
  let pad = (cell: string, index: number) =>
    alignments[index] === 'right'
      ? cell.padStart(widths[index] ?? 0)
      : cell.padEnd(widths[index] ?? 0)
  let line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`
  let separator = widths.map((width, index) =>
    alignments[index] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  )
  return [line(header), `| ${separator.join(' | ')} |`, ...rows.map(line)].join('\n')
}
