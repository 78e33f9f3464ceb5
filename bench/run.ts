import { writeFileSync } from 'node:fs'
import { onlySections, quick, sectionSelected } from './config.ts'
import { runDenoKvBench } from './deno-kv-bench.ts'
import { machineInfo } from './machine.ts'
import { benchNodeRuntimes } from './node-runtimes.ts'
import { type NodeSectionsOutput, runNodeSections } from './node-sections.ts'
import { profiledServers } from './profile.ts'
import { renderProfileDocument } from './profile-report.ts'
import { type RenderedTable, renderForReport, renderText } from './render-table.ts'
import { writeReport } from './report.ts'
import { nodeSections } from './sections.ts'
import { sourceFingerprint } from './source-fingerprint.ts'

// `pnpm bench`: runs every section (or those in BENCH_ONLY) on each Node version of BENCH_NODES,
// each version in a process of its own that prints each table as it completes, then the Deno
// table once, then writes RESULTS.md and PROFILE.md (RESULTS.partial.md and PROFILE.partial.md for
// a quick or partial run, so they never overwrite the full results).
const partial = quick || onlySections.length > 0
const resultsFile = partial ? 'RESULTS.partial.md' : 'RESULTS.md'
const profileFile = partial ? 'PROFILE.partial.md' : 'PROFILE.md'
const log = (line: string) => console.log(line)

let startedAt = new Date()
let sourcesAtStart = sourceFingerprint()
let machine = await machineInfo()
let runtimes = benchNodeRuntimes()
console.log(
  `bench: ${machine.cpu}, ${machine.cores} cores, ${runtimes.map((runtime) => runtime.name).join(', ')}, load ${machine.loadAverage}${quick ? ' (BENCH_QUICK)' : ''}`,
)
let names = [...nodeSections.map((section) => section.name), 'profile'].filter(sectionSelected)
let outputs: NodeSectionsOutput[] = []
for (let runtime of names.length > 0 ? runtimes : []) {
  console.log(`\n=== ${runtime.name}`)
  outputs.push(await runNodeSections(runtime, names))
}
// Deno's table does not depend on the Node version: it runs once, with the session section.
let denoTables: RenderedTable[] = []
if (sectionSelected('session')) {
  console.log('\n== session (Deno)')
  let table = await runDenoKvBench(log)
  console.log(`\n${renderText(table)}`)
  denoTables.push(renderForReport('session', table))
}
// RESULTS.md groups the tables by section: each section's tables for every Node version in turn.
let tables = names.flatMap((section) => [
  ...outputs.flatMap((output) => output.tables.filter((table) => table.section === section)),
  ...denoTables.filter((table) => table.section === section),
])
let profiles = outputs.flatMap((output) => output.profiles ?? [])
if (profiles.length > 0) {
  writeFileSync(
    new URL(profileFile, import.meta.url),
    renderProfileDocument(profiledServers, profiles),
  )
  console.log(`\nWrote ${profileFile}.`)
}
let elapsed = (Date.now() - startedAt.getTime()) / 1000
let sources = { start: sourcesAtStart, end: sourceFingerprint() }
if (sources.start !== sources.end) {
  console.warn('\nWarning: packages/*/src changed during the run; the results mix two versions.')
}
let nodes = outputs.map((output) => output.node)
writeReport({ startedAt, elapsed, machine, nodes, sources, sections: names, tables }, resultsFile)
console.log(`\nWrote ${resultsFile} in ${Math.round(elapsed)} s.`)
