import { writeFileSync } from 'node:fs'
import type { NodeSectionsOutput } from './node-sections.ts'
import { profiledServers, runProfile } from './profile.ts'
import { describeEntry } from './profile-report.ts'
import { renderForReport, renderText } from './render-table.ts'
import { nodeSections } from './sections.ts'
import { formatPercent } from './units.ts'

// Run by run.ts once per Node version (`node-sections.ts`), with an output file and the names of
// the sections to run: runs them on this process's Node, prints each table as it completes, and
// writes a `NodeSectionsOutput` to the file.
let [outputFile, ...names] = process.argv.slice(2)
if (outputFile === undefined) {
  throw new Error('Usage: node-sections-child.ts <output.json> <section>…')
}
const log = (line: string) => console.log(line)
let output: NodeSectionsOutput = { node: process.version, tables: [] }
for (let section of nodeSections) {
  if (!names.includes(section.name)) continue
  console.log(`\n== ${section.name} (Node ${process.version})`)
  let produced = await section.run(log)
  for (let table of Array.isArray(produced) ? produced : [produced]) {
    let titled = { ...table, title: `${table.title}, Node ${process.version}` }
    console.log(`\n${renderText(titled)}`)
    output.tables.push(renderForReport(section.name, titled))
  }
}
if (names.includes('profile')) {
  console.log(`\n== profile (Node ${process.version})`)
  output.profiles = []
  for (let server of profiledServers) {
    let profile = await runProfile(server, log)
    console.log(
      `\n${server.label}: top self time (of ${(profile.busyTime / 1000).toFixed(0)} ms busy):`,
    )
    for (let entry of profile.top.slice(0, 5)) {
      let share = formatPercent(entry.selfTime / profile.busyTime).padStart(5)
      console.log(`  ${share}  ${describeEntry(entry)}`)
    }
    output.profiles.push(profile.markdown)
  }
}
writeFileSync(outputFile, JSON.stringify(output))
