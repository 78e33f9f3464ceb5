import { runJsonScript } from './child-script.ts'
import { coldStartBuilders } from './cold-start-builders.ts'
import type { ResultTable } from './result-table.ts'
import { measureInterleaved } from './rounds.ts'
import { formatMilliseconds } from './units.ts'

const routeCount = 5000
const baseline = 'find-my-way'

/**
 * Cold start: each framework builds a 5,000-route router in a fresh process (modules already
 * loaded), timed from the first registration to the answer of the first request.
 */
export async function runColdStart(log: (line: string) => void): Promise<ResultTable> {
  let names = Object.keys(coldStartBuilders)
  log(`  cold start: ${routeCount} routes, ${names.length} frameworks`)
  let measurements = await measureInterleaved(names, async (order) => {
    let results = new Map<string, number[]>()
    for (let name of order) {
      let { register, first } = await runJsonScript<{ register: number; first: number }>(
        'cold-start-child.ts',
        [name],
        { env: { ROUTE_COUNT: String(routeCount) } },
      )
      results.set(name, [register + first, register, first])
    }
    return results
  })
  return {
    title: `Cold start: a ${routeCount.toLocaleString('en')}-route router`,
    description: `Each run in a fresh process: register ${routeCount.toLocaleString('en')} routes (the GitHub table repeated under prefixes) and answer the first request (which builds what a router builds lazily). Each cell: time relative to **${baseline}** as a speed (higher is faster), then the median time.`,
    rows: names,
    columns: [
      {
        label: 'register + first request',
        kind: 'time',
        format: formatMilliseconds,
        baseline,
        measurements,
      },
      {
        label: 'register',
        kind: 'time',
        format: formatMilliseconds,
        baseline,
        metric: 1,
        measurements,
      },
      {
        label: 'first request',
        kind: 'time',
        format: formatMilliseconds,
        baseline,
        metric: 2,
        measurements,
      },
    ],
  }
}
