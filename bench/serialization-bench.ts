import { devalue } from './devalue.ts'
import type { ResultTable } from './result-table.ts'
import { partTimeColumn } from './time-column.ts'
import { measureTasks } from './tiny.ts'
import { typicalValues } from './typical-session.ts'

const baseline = 'JSON'

/** devalue (what our storages serialize with) against JSON, on the typical session's values. */
export async function runSerializationBench(log: (line: string) => void): Promise<ResultTable> {
  let values = typicalValues()
  let codecs: [string, { stringify(value: unknown): string; parse(text: string): unknown }][] = [
    [baseline, JSON],
    ['devalue', devalue],
  ]
  let tasks = codecs.flatMap(([name, codec]) => {
    let text = codec.stringify(values)
    return [
      { name: `${name}|stringify`, fn: () => codec.stringify(values) },
      { name: `${name}|parse`, fn: () => codec.parse(text) },
    ]
  })
  log('  session: devalue vs JSON')
  let all = await measureTasks(tasks)
  let rows = codecs.map(([name]) => name)
  let column = (operation: string) => partTimeColumn(all, rows, operation, baseline)
  return {
    title: 'Serializing the session: devalue vs JSON',
    description: `\`stringify\` and \`parse\` of the typical session's values. JSON is the floor, not an alternative: it turns the Date into a string and the Map into \`{}\`. Each cell: speed relative to **${baseline}** (higher is faster), then the median time.`,
    rows: codecs.map(([name]) => name),
    columns: [column('stringify'), column('parse')],
  }
}
