import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** The bench folder, where every child script runs. */
export const benchDirectory = fileURLToPath(new URL('.', import.meta.url))

/** How to run a child script: Node flags and environment. */
export interface ScriptOptions {
  /** Node flags put before `--conditions=built`, such as `--expose-gc`. Default none. */
  nodeFlags?: readonly string[]
  /** Environment variables added to this process's. Default none. */
  env?: Record<string, string>
}

/**
 * The Node arguments that run `script` (a path relative to the bench folder) as `pnpm bench`
 * runs itself: our packages as built (`--conditions=built`), TypeScript through tsx.
 */
export function scriptArguments(script: string, nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, '--conditions=built', '--import', 'tsx', script]
}

/**
 * Runs `script` with `args` in a fresh Node process, in the bench folder, and parses what it
 * prints as JSON.
 *
 * @throws {Error} when the script exits with an error (its stderr in the message) or prints
 * something that is not JSON.
 */
export async function runJsonScript<Result>(
  script: string,
  args: readonly string[],
  options: ScriptOptions = {},
): Promise<Result> {
  let { stdout } = await execFileAsync(
    process.execPath,
    [...scriptArguments(script, options.nodeFlags), ...args],
    { cwd: benchDirectory, env: { ...process.env, ...options.env } },
  )
  return JSON.parse(stdout) as Result
}
