import { blackhole } from './blackhole.ts'
import { githubRoutes } from './github-routes.ts'
import { lookupTask } from './lookup-task.ts'
import { matchingCompetitors } from './matching-competitors.ts'
import { buildMixes, type ExpectedLookup } from './request-mixes.ts'
import type { Column, ResultTable } from './result-table.ts'
import type { BuiltRouter, RouterAdapter } from './routers/router-adapter.ts'
import { tryBuild } from './supported-subset.ts'
import { timeColumn } from './time-column.ts'
import { measureTasks, type TinyTask } from './tiny.ts'

const baseline = 'find-my-way'
/** Paths looked up per request set. */
const pathsPerSet = 5
/** Passes over the paths per timed call, so that tinybench's own cost per call is negligible. */
const passesPerCall = 200

/** A loop over `lookups` through `lookup`, `passes` times, keeping every answer. */
type LookupLoop = (
  lookup: BuiltRouter['lookup'],
  lookups: readonly ExpectedLookup[],
  passes: number,
  sink: { value: unknown },
) => void

const loopSource = `
  for (let pass = 0; pass < passes; pass++) {
    for (let index = 0; index < lookups.length; index++) sink.value = lookup(lookups[index])
  }`

/**
 * Route matching as a hot loop sees it: each router looks up the same few paths of each request
 * set over and over, in a loop of its own. Each loop is compiled from source for its row alone, so
 * its call to the router stays monomorphic and can be inlined, unlike the shared loop of
 * `matching.ts`, which every router passes through. The two tables bracket what an application
 * sees: one route table, a few hot paths, or many paths.
 */
export async function runMatchingFixedPaths(log: (line: string) => void): Promise<ResultTable> {
  let adapters = matchingCompetitors.filter(
    (adapter) => tryBuild(adapter, githubRoutes) === undefined,
  )
  let columns: Column[] = []
  for (let mix of buildMixes(githubRoutes)) {
    let lookups = evenlySpaced(mix.requests, pathsPerSet)
    log(`  matching, fixed paths: ${mix.name} (${lookups.length} paths)`)
    let tasks = adapters.map((adapter) => fixedPathsTask(adapter, lookups))
    columns.push(timeColumn(mix.name, baseline, await measureTasks(tasks)))
  }
  return {
    title: 'Route matching, a few fixed paths per set (GitHub API, in process)',
    description: `The routes of the table above; for each request set, ${pathsPerSet} of its lookups (evenly spaced), looked up in turn ${passesPerCall} times per call by a loop compiled for that router and set alone. Each cell: speed relative to **${baseline}** (higher is faster), then the median time per lookup. Every router's answers were checked before timing. Routers that refuse the full table are left out.`,
    rows: adapters.map((adapter) => adapter.name),
    columns,
  }
}

/** A task timing `adapter` on `lookups` in a loop of its own, once its answers are checked. */
function fixedPathsTask(adapter: RouterAdapter, lookups: readonly ExpectedLookup[]): TinyTask {
  let router = adapter.build(githubRoutes)
  // Checks every answer and throws on the first disagreement; its own loop is not timed.
  lookupTask(adapter.name, router, lookups)
  // A new function per row: V8 keeps type feedback per function, so no row shares a call site.
  let loop = new Function('lookup', 'lookups', 'passes', 'sink', loopSource) as LookupLoop
  let lookup = router.lookup
  return {
    name: adapter.name,
    opsPerCall: lookups.length * passesPerCall,
    fn: () => loop(lookup, lookups, passesPerCall, blackhole),
  }
}

/** `count` items of `list`, spread evenly from its first; all of them when it is that short. */
function evenlySpaced<Item>(list: readonly Item[], count: number): Item[] {
  if (list.length <= count) return [...list]
  return Array.from({ length: count }, (_, index) => {
    return list[Math.floor((index * list.length) / count)] as Item
  })
}
