import { runJsonScript } from './child-script.ts'
import type { ResultTable } from './result-table.ts'
import { measureInterleaved } from './rounds.ts'
import { formatBytes } from './units.ts'

const sessionCount = 10_000
const rows = [
  ['ours memory storage', 'ours'],
  ['remix memory storage', 'remix'],
] as const
const baseline = rows[1][0]

/**
 * Memory held per stored session: heap growth over 10,000 saved typical sessions, in a fresh
 * process run with `--expose-gc` (collected before and after).
 */
export async function runSessionMemory(log: (line: string) => void): Promise<ResultTable> {
  log(`  session: heap per stored session (${sessionCount.toLocaleString('en')} sessions)`)
  let measurements = await measureInterleaved(
    rows.map(([label]) => label),
    async (order) => {
      let results = new Map<string, number[]>()
      for (let label of order) {
        let key = rows.find(([name]) => name === label)?.[1] as string
        let { bytesPerSession } = await runJsonScript<{ bytesPerSession: number }>(
          'session-memory-child.ts',
          [key],
          { nodeFlags: ['--expose-gc'], env: { SESSION_COUNT: String(sessionCount) } },
        )
        results.set(label, [bytesPerSession])
      }
      return results
    },
  )
  return {
    title: 'Memory per stored session (memory storage)',
    description: `Heap used after ${sessionCount.toLocaleString('en')} typical sessions were saved, minus before, divided by their number (garbage collected before and after, in a fresh process). Each cell: bytes relative to **${baseline}** (lower is better), then the bytes per session. Remix's memory storage keeps each session's live data objects (the request's own); ours keeps a parsed copy of each session's record that no request holds.`,
    rows: rows.map(([label]) => label),
    columns: [
      { label: 'heap per session', kind: 'cost', format: formatBytes, baseline, measurements },
    ],
  }
}
