import { runColdStart } from './cold-start.ts'
import { onlySections, quick, sectionSelected } from './config.ts'
import { runFetch } from './fetch.ts'
import { runHttp } from './http.ts'
import { machineInfo } from './machine.ts'
import { runMatching } from './matching.ts'
import { runMatchingScale } from './matching-scale.ts'
import { runProfile } from './profile.ts'
import { describeEntry } from './profile-report.ts'
import { renderText } from './render-table.ts'
import { writeReport } from './report.ts'
import type { ResultTable } from './result-table.ts'
import { runSessionMicro } from './session-micro.ts'
import { sourceFingerprint } from './source-fingerprint.ts'
import { formatPercent } from './units.ts'

// `pnpm bench`: runs every section (or those in BENCH_ONLY), prints each table as it completes,
// then writes RESULTS.md and PROFILE.md (RESULTS.partial.md and PROFILE.partial.md for a quick or
// partial run, so they never overwrite the full results).
const partial = quick || onlySections.length > 0
const resultsFile = partial ? 'RESULTS.partial.md' : 'RESULTS.md'
const profileFile = partial ? 'PROFILE.partial.md' : 'PROFILE.md'
const log = (line: string) => console.log(line)

const sections: [string, () => Promise<ResultTable | ResultTable[]>][] = [
  ['matching', () => runMatching(log)],
  ['scale', () => runMatchingScale(log)],
  ['fetch', () => runFetch(log)],
  ['session', () => runSessionMicro(log)],
  ['cold-start', () => runColdStart(log)],
  ['http', () => runHttp(log)],
]

let startedAt = new Date()
let sourcesAtStart = sourceFingerprint()
let machine = await machineInfo()
console.log(
  `bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage}${quick ? ' (BENCH_QUICK)' : ''}`,
)
let tables: ResultTable[] = []
let ran: string[] = []
for (let [name, run] of sections) {
  if (!sectionSelected(name)) continue
  console.log(`\n== ${name}`)
  let produced = await run()
  for (let table of Array.isArray(produced) ? produced : [produced]) {
    tables.push(table)
    console.log(`\n${renderText(table)}`)
  }
  ran.push(name)
}
if (sectionSelected('profile')) {
  console.log('\n== profile')
  let profile = await runProfile(log, profileFile)
  console.log(
    `\nTop self time (of ${(profile.busyTime / 1000).toFixed(0)} ms busy), written to ${profileFile}:`,
  )
  for (let entry of profile.top.slice(0, 5)) {
    let share = formatPercent(entry.selfTime / profile.busyTime).padStart(5)
    console.log(`  ${share}  ${describeEntry(entry)}`)
  }
  ran.push('profile')
}
let elapsed = (Date.now() - startedAt.getTime()) / 1000
let sources = { start: sourcesAtStart, end: sourceFingerprint() }
if (sources.start !== sources.end) {
  console.warn('\nWarning: packages/*/src changed during the run; the results mix two versions.')
}
writeReport({ startedAt, elapsed, machine, sources, sections: ran, tables }, resultsFile)
console.log(`\nWrote ${resultsFile} in ${Math.round(elapsed)} s.`)
