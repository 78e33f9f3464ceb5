import { runtimes } from '@x/test-kit'
import { machineNodeMajor, nodeMajors } from './config.ts'

/** A Node version the per-Node sections run on. */
export interface NodeRuntime {
  /** `Node <major>`. */
  name: string
  /** The Node executable. */
  command: string
}

/**
 * The Node versions of `BENCH_NODES` ({@link nodeMajors}), in order: the machine's own Node for
 * its major, tools/test-kit's runtimes (the npm packages `node22`, `node24`, `node26`) for others.
 *
 * @throws {Error} naming a major version that is neither.
 */
export function benchNodeRuntimes(): NodeRuntime[] {
  return nodeMajors.map((major) => {
    let name = `Node ${major}`
    if (major === machineNodeMajor) return { name, command: process.execPath }
    let runtime = runtimes.find((candidate) => candidate.name === name)
    if (runtime === undefined) {
      let known = runtimes.filter((candidate) => candidate.entry === 'node')
      throw new Error(
        `BENCH_NODES names ${name}: not the machine's (Node ${machineNodeMajor}) nor one of ${known.map((candidate) => candidate.name).join(', ')}`,
      )
    }
    return { name, command: runtime.command }
  })
}
