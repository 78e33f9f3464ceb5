import { runColdStart } from './cold-start.ts'
import { runFetch } from './fetch.ts'
import { runHttp } from './http.ts'
import { runMatching } from './matching.ts'
import { runMatchingFixedPaths } from './matching-fixed-paths.ts'
import { runMatchingScale } from './matching-scale.ts'
import type { ResultTable } from './result-table.ts'
import { runSessionMicro } from './session-micro.ts'

/** A section of the bench that runs once per Node version, in a process of that Node. */
export interface NodeSection {
  /** Its name in `BENCH_ONLY` and in RESULTS.md. */
  name: string
  /** Runs the section on this process's Node, reporting progress through `log`. */
  run(log: (line: string) => void): Promise<ResultTable | ResultTable[]>
}

/**
 * The per-Node sections, in the order they run (the `profile` section, which writes PROFILE.md
 * rather than tables, runs after them).
 */
export const nodeSections: readonly NodeSection[] = [
  {
    name: 'matching',
    run: async (log) => [await runMatching(log), await runMatchingFixedPaths(log)],
  },
  { name: 'scale', run: runMatchingScale },
  { name: 'fetch', run: runFetch },
  { name: 'session', run: runSessionMicro },
  { name: 'cold-start', run: runColdStart },
  { name: 'http', run: runHttp },
]
