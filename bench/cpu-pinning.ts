import os from 'node:os'

/** The core wrk runs on when {@link pinningAvailable}. */
export const loadCore = 0

/** The core each HTTP server (all its threads) runs on when {@link pinningAvailable}. */
export const serverCore = 1

/**
 * Whether this machine has the two cores that pinning needs: the load generator on one, the
 * server on the other, so neither takes CPU time from the other.
 */
export const pinningAvailable = os.cpus().length >= 2

/**
 * The command that runs another on `core` only and then becomes it, keeping its process id
 * (`taskset -c <core>`); none without {@link pinningAvailable}.
 */
export function pinningLauncher(core: number): string[] {
  return pinningAvailable ? ['taskset', '-c', String(core)] : []
}

/**
 * The command and arguments that run `command` with `args` on `core` only (`taskset -c <core>`,
 * which then becomes the command: same process id); unchanged without {@link pinningAvailable}.
 */
export function pinnedCommand(
  core: number,
  command: string,
  args: readonly string[],
): [string, string[]] {
  let [first, ...rest] = [...pinningLauncher(core), command, ...args]
  return [first as string, rest]
}
