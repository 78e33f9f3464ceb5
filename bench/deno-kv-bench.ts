import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { eachRuntimeOnce } from '@x/test-kit'
import { benchDirectory } from './child-script.ts'
import { denoKvRow, denoMemoryRow } from './deno-kv-rows.ts'
import type { ResultTable } from './result-table.ts'
import type { Measurement } from './rounds.ts'
import { timeColumn } from './time-column.ts'

const execFileAsync = promisify(execFile)

/** What `deno-kv-child.ts` prints. */
interface DenoKvChildOutput {
  deno: string
  measurements: [string, Measurement][]
}

/**
 * Read + save of the typical session under Deno (tools/test-kit's Deno, run by
 * `deno-kv-child.ts`): our Deno KV storage on a KV file in a new temporary directory (deleted at
 * the end), relative to our memory storage in the same Deno process. Runs once, not per Node
 * version.
 *
 * @throws {Error} when Deno fails (its stderr in the message).
 */
export async function runDenoKvBench(log: (line: string) => void): Promise<ResultTable> {
  let deno = eachRuntimeOnce.find((runtime) => runtime.entry === 'deno')
  if (deno === undefined) throw new Error('tools/test-kit names no Deno runtime')
  let directory = mkdtempSync(join(tmpdir(), 'bench-deno-kv-'))
  try {
    log('  session: read + save under Deno (memory, Deno KV)')
    let permissions = ['--allow-env', '--allow-read', `--allow-write=${directory}`]
    let { stdout } = await execFileAsync(
      deno.command,
      ['run', '--unstable-kv', '--conditions=built', ...permissions, 'deno-kv-child.ts', directory],
      { cwd: benchDirectory, env: { ...process.env, NO_COLOR: '1' } },
    )
    let output = JSON.parse(stdout) as DenoKvChildOutput
    let measurements = new Map(output.measurements)
    return {
      title: `Session read + save under Deno ${output.deno}: memory and Deno KV`,
      description: `The loop of the storage table (read the typical session, change one key, save it) in one Deno process, our packages as built (\`--conditions=built\`). Each cell: speed relative to **${denoMemoryRow}** (higher is faster), then the median time.`,
      notes: [
        `**${denoKvRow}** is \`createDenoKvSessionStorage(await Deno.openKv(file))\` on a file in a temporary directory: each save is a versionstamp-checked atomic commit to Deno's SQLite-backed KV.`,
      ],
      rows: [denoMemoryRow, denoKvRow],
      columns: [timeColumn('read + save', denoMemoryRow, measurements)],
    }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
