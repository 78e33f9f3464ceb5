/** The parts of a V8 `.cpuprofile` that self time is computed from. */
export interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    children?: number[]
  }[]
  /** Microseconds, on the monotonic clock that `process.hrtime` reads too. */
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** A time window on the monotonic clock, in microseconds. */
export interface TimeWindow {
  start: number
  end: number
}

/** Self time of one function (function name + script URL), over every node of the profile. */
export interface SelfTime {
  functionName: string
  url: string
  /** First line of the function (0-based, as V8 gives it); of the first node seen. */
  lineNumber: number
  /** Microseconds. */
  selfTime: number
}

/**
 * Sums self time per function: each sample's time delta is charged to the node it landed in, and
 * nodes of the same function name and URL are added together. Only samples inside `window` count
 * when one is given (to leave out start-up). Sorted by self time, largest first.
 */
export function summariseSelfTime(profile: CpuProfile, window?: TimeWindow): SelfTime[] {
  let byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  let byFunction = new Map<string, SelfTime>()
  let time = profile.startTime
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index] ?? 0
    if (window && (time < window.start || time > window.end)) return
    // A sample's time is the delta to the next sample.
    let delta = profile.timeDeltas[index + 1] ?? 0
    let frame = byNode.get(nodeId)?.callFrame
    if (frame === undefined) return
    let key = `${frame.functionName}\u0000${frame.url}`
    let entry = byFunction.get(key)
    if (entry === undefined) {
      entry = {
        functionName: frame.functionName,
        url: frame.url,
        lineNumber: frame.lineNumber,
        selfTime: 0,
      }
      byFunction.set(key, entry)
    }
    entry.selfTime += Math.max(0, delta)
  })
  return [...byFunction.values()].sort((a, b) => b.selfTime - a.selfTime)
}

/** Inclusive time of one function: samples with it anywhere on the stack. */
export interface InclusiveTime {
  functionName: string
  url: string
  /** Microseconds. */
  totalTime: number
}

/**
 * Sums inclusive time per function (name + script URL): each sample's time delta is charged once
 * to every function on its stack, so a function's time includes what it called. `(idle)` samples
 * and those outside `window` do not count. Sorted largest first.
 */
export function summariseInclusiveTime(profile: CpuProfile, window?: TimeWindow): InclusiveTime[] {
  let byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  let parentOf = new Map<number, number>()
  for (let node of profile.nodes)
    for (let child of node.children ?? []) parentOf.set(child, node.id)
  let byFunction = new Map<string, InclusiveTime>()
  let time = profile.startTime
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index] ?? 0
    if (window && (time < window.start || time > window.end)) return
    if (byNode.get(nodeId)?.callFrame.functionName === '(idle)') return
    let delta = Math.max(0, profile.timeDeltas[index + 1] ?? 0)
    let counted = new Set<string>()
    for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
      let frame = byNode.get(id)?.callFrame
      if (frame === undefined) break
      let key = `${frame.functionName}\u0000${frame.url}`
      if (counted.has(key)) continue // recursion: once per sample
      counted.add(key)
      let entry = byFunction.get(key)
      if (entry === undefined) {
        entry = { functionName: frame.functionName, url: frame.url, totalTime: 0 }
        byFunction.set(key, entry)
      }
      entry.totalTime += delta
    }
  })
  return [...byFunction.values()].sort((a, b) => b.totalTime - a.totalTime)
}

/**
 * Where a script comes from, for grouping: `@x/session`, `@x/fetch-router`, a package name from
 * `node_modules`, `node:internal`, or the bench itself; `(native)` for V8's own entries.
 */
export function sourceOf(url: string): string {
  if (url === '') return '(V8 / native)'
  if (url.startsWith('node:')) return 'node: internals'
  let workspace = /\/packages\/(fetch-router|session)\//.exec(url)
  if (workspace) return `@x/${workspace[1]}`
  let packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)]
  let last = packages.at(-1)
  if (last) return last[1] as string
  if (url.includes('/bench/')) return 'bench (server script)'
  return url
}

/** A script URL made short: the part after the repository root or the last `node_modules/`. */
export function shortUrl(url: string): string {
  if (url === '') return ''
  let index = url.lastIndexOf('node_modules/')
  if (index >= 0) {
    let rest = url.slice(index + 'node_modules/'.length)
    return rest.replace(/^\.pnpm\/[^/]+\/node_modules\//, '')
  }
  return url.startsWith(repositoryRoot) ? url.slice(repositoryRoot.length) : url
}

const repositoryRoot = new URL('..', import.meta.url).href
