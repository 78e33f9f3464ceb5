import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchDirectory, scriptArguments } from './child-script.ts'
import type { NodeRuntime } from './node-runtimes.ts'
import type { RenderedTable } from './render-table.ts'

/** What `node-sections-child.ts` measured on one Node version (it hands it over as JSON). */
export interface NodeSectionsOutput {
  /** `process.version` of the Node that ran the sections. */
  node: string
  /** Every table, in the order the sections produced them, their titles naming the Node version. */
  tables: RenderedTable[]
  /** This Node version's parts of PROFILE.md (one per profiled server), when `profile` ran. */
  profiles?: string[]
}

/**
 * Runs the sections `names` (and `profile` when named) in one process of `runtime`
 * (`node-sections-child.ts`, as `pnpm bench` runs itself: `--conditions=built`, tsx), its output
 * shown as it goes, and gives what it measured. Everything that process starts (servers, child
 * scripts) runs on the same Node.
 *
 * @throws {Error} when the process fails (its output above says why).
 */
export async function runNodeSections(
  runtime: NodeRuntime,
  names: readonly string[],
): Promise<NodeSectionsOutput> {
  let directory = mkdtempSync(join(tmpdir(), 'bench-node-sections-'))
  try {
    let outputFile = join(directory, 'output.json')
    let child = spawn(
      runtime.command,
      [...scriptArguments('node-sections-child.ts'), outputFile, ...names],
      { cwd: benchDirectory, stdio: 'inherit' },
    )
    let [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null]
    if (code !== 0) {
      throw new Error(`The sections on ${runtime.name} failed (exit ${code ?? signal})`)
    }
    return JSON.parse(readFileSync(outputFile, 'utf8')) as NodeSectionsOutput
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
