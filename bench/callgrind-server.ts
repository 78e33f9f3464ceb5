import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type ServerProcess, startServer } from './server-process.ts'

const execFileAsync = promisify(execFile)

/** A server running under callgrind, whose instruction counters can be zeroed and dumped. */
export interface CallgrindServer extends ServerProcess {
  /** Sets the counters to zero: what ran before (start-up, warm-up) is not counted. */
  zero(): Promise<void>
  /** Writes what was counted since {@link zero} to a file, and gives its path. */
  dump(): Promise<string>
}

/**
 * Starts `servers/<name>.ts` as `pnpm bench` does (`startServer`: this process's Node, built
 * packages, tsx, pinned to the server core, any free port), under valgrind's callgrind, which
 * counts the instructions every thread of the process executes (its own code, V8's, the JIT's
 * output; not the kernel's), the same from one run to the next whatever else the machine does.
 * Dumps go to `directory`; `env` is added to the server's environment. Start-up takes about a
 * minute: valgrind runs the server some 50 times slower.
 *
 * @throws {Error} with the server's output when it exits or stays silent before announcing.
 */
export async function startCallgrindServer(
  name: string,
  directory: string,
  env: Record<string, string> = {},
): Promise<CallgrindServer> {
  let out = join(directory, `${name}.callgrind`)
  let wrapper = [
    'valgrind',
    '--tool=callgrind',
    `--callgrind-out-file=${out}`,
    '--dump-instr=no',
    // V8 writes machine code as it runs: valgrind must see each write.
    '--smc-check=all-non-file',
  ]
  let server = await startServer(name, {
    wrapper,
    // A Redis storage's commands wait on a server that valgrind slows down: 60 s, not 2.
    env: { ...env, BENCH_REDIS_COMMAND_TIMEOUT: '60000' },
    startTimeout: 300_000,
    stopTimeout: 30_000,
  })
  let pid = String(server.pid)
  let dumps = 0
  return {
    ...server,
    async zero() {
      await execFileAsync('callgrind_control', ['--zero', pid])
    },
    async dump() {
      await execFileAsync('callgrind_control', ['--dump', pid])
      let file = `${out}.${++dumps}`
      if (!existsSync(file)) throw new Error(`callgrind wrote no ${file}`)
      return file
    },
  }
}
