import { lookupTask } from './lookup-task.ts'
import { origin } from './request-mixes.ts'
import type { Column, ResultTable } from './result-table.ts'
import { findMyWay } from './routers/find-my-way.ts'
import { ours } from './routers/ours.ts'
import { fillPattern } from './sample-paths.ts'
import { probeRoutes, scaledRoutes } from './scaled-routes.ts'
import { partTimeColumn } from './time-column.ts'
import { measureTasks } from './tiny.ts'

const sizes = [10, 100, 1000, 5000]
const rowName = (size: number) => `${size} routes`

/**
 * Lookup cost as the table grows: the same ten lookups (the probe routes) against tables of 10
 * to 5,000 routes, for ours and find-my-way. Each router is compared with itself at 10 routes.
 */
export async function runMatchingScale(log: (line: string) => void): Promise<ResultTable> {
  let lookups = probeRoutes.map(([method, pattern], index) => {
    let path = fillPattern(pattern)
    return { method, path, url: origin + path, expected: index }
  })
  let adapters = [ours, findMyWay]
  let tasks = adapters.flatMap((adapter) =>
    sizes.map((size) =>
      lookupTask(
        `${rowName(size)}|${adapter.name}`,
        adapter.build(scaledRoutes(size)),
        lookups,
        `${adapter.name} with ${size} routes`,
      ),
    ),
  )
  log(`  matching scale: ${sizes.join(', ')} routes`)
  let all = await measureTasks(tasks)
  let columns: Column[] = adapters.map((adapter) =>
    partTimeColumn(all, sizes.map(rowName), adapter.name, rowName(sizes[0] as number)),
  )
  return {
    title: 'Lookup cost as the route table grows',
    description:
      'The same 10 lookups (3 static, 3 shallow params, 4 deep) against tables of growing size (the GitHub table repeated under `/t0`, `/t1`, … prefixes). Each cell: speed relative to **the same router with 10 routes** (1.00× = flat), then the median time per lookup.',
    rows: sizes.map(rowName),
    columns,
  }
}
