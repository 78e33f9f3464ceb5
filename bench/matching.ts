import { githubRoutes, type RouteSpec } from './github-routes.ts'
import { lookupTask } from './lookup-task.ts'
import { matchingCompetitors } from './matching-competitors.ts'
import { buildMixes, type RequestMix } from './request-mixes.ts'
import type { Column, ResultTable } from './result-table.ts'
import type { RouterAdapter } from './routers/router-adapter.ts'
import { supportedSubset, tryBuild } from './supported-subset.ts'
import { timeColumn } from './time-column.ts'
import { measureTasks } from './tiny.ts'

const baseline = 'find-my-way'

/**
 * Route matching in process on the GitHub API table: for each request mix, the time per lookup
 * of every router, as a speed relative to find-my-way. A router that refuses the table is left
 * out of those columns, and every router is then also timed on the largest part of the table
 * that all of them accept.
 */
export async function runMatching(log: (line: string) => void): Promise<ResultTable> {
  let refused = matchingCompetitors.flatMap((adapter) => {
    let error = tryBuild(adapter, githubRoutes)
    return error === undefined ? [] : [{ adapter, error }]
  })
  let accepting = matchingCompetitors.filter(
    (adapter) => !refused.some((r) => r.adapter === adapter),
  )
  let columns: Column[] = []
  for (let mix of buildMixes(githubRoutes)) {
    log(`  matching: ${mix.name} (${mix.requests.length} lookups per batch)`)
    columns.push(await timeMix(mix.name, accepting, githubRoutes, mix))
  }

  let notes: string[] = []
  let subset = githubRoutes
  for (let { adapter, error } of refused) {
    subset = supportedSubset(adapter, subset)
    notes.push(
      `${adapter.name} refuses the full table (\`${error}\`: ${githubRoutes.length - supportedSubset(adapter, githubRoutes).length} routes it cannot combine), so it is timed only in the last column.`,
    )
  }
  if (refused.length > 0) {
    let mixed = buildMixes(subset).find((mix) => mix.name === 'mixed') as RequestMix
    let label = `mixed, ${subset.length}-route subset`
    log(`  matching: ${label}`)
    columns.push(await timeMix(label, matchingCompetitors, subset, mixed))
    notes.push(
      `The last column uses the ${subset.length} routes that every router accepts (the first of each conflicting pair kept) and the mixed workload built from them.`,
    )
  }
  return {
    title: 'Route matching (GitHub API, in process)',
    description: `${githubRoutes.length} routes of the GitHub REST API. Each cell: speed relative to **${baseline}** (higher is faster; 2.00× takes half its time per lookup), then the median time per lookup. Every router's answers were checked against the expected route before timing.`,
    rows: matchingCompetitors.map((adapter) => adapter.name),
    columns,
    notes,
  }
}

async function timeMix(
  label: string,
  adapters: readonly RouterAdapter[],
  routes: readonly RouteSpec[],
  mix: RequestMix,
): Promise<Column> {
  let measurements = await measureTasks(
    adapters.map((adapter) => lookupTask(adapter.name, adapter.build(routes), mix.requests)),
  )
  return timeColumn(label, baseline, measurements)
}
