/** Where a profile node's function is. */
interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

/** The parts of a V8 `.cpuprofile` that self time is computed from. */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[]
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

/** Inclusive time of one function: samples with it anywhere on the stack. */
export interface InclusiveTime {
  functionName: string
  url: string
  /** Microseconds. */
  totalTime: number
}

/**
 * Sums self time per function: each sample's time delta is charged to the node it landed in, and
 * nodes of the same function name and URL are added together. Only samples inside `window` count
 * when one is given (to leave out start-up). Sorted by self time, largest first.
 */
export function summariseSelfTime(profile: CpuProfile, window?: TimeWindow): SelfTime[] {
  let byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  let byFunction = new Map<string, SelfTime>()
  forEachSample(profile, window, (nodeId, delta) => {
    let frame = byNode.get(nodeId)?.callFrame
    if (frame === undefined) return
    let { functionName, url, lineNumber } = frame
    let entry = entryOf(byFunction, frame, () => ({ functionName, url, lineNumber, selfTime: 0 }))
    entry.selfTime += delta
  })
  return [...byFunction.values()].sort((a, b) => b.selfTime - a.selfTime)
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
  forEachSample(profile, window, (nodeId, delta) => {
    if (byNode.get(nodeId)?.callFrame.functionName === '(idle)') return
    let counted = new Set<InclusiveTime>()
    for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
      let frame = byNode.get(id)?.callFrame
      if (frame === undefined) break
      let { functionName, url } = frame
      let entry = entryOf(byFunction, frame, () => ({ functionName, url, totalTime: 0 }))
      if (counted.has(entry)) continue // recursion: once per sample
      counted.add(entry)
      entry.totalTime += delta
    }
  })
  return [...byFunction.values()].sort((a, b) => b.totalTime - a.totalTime)
}

/**
 * Calls `visit` for every sample inside `window` (every sample without one) with its node and its
 * time: the delta to the next sample, in microseconds.
 */
function forEachSample(
  profile: CpuProfile,
  window: TimeWindow | undefined,
  visit: (nodeId: number, delta: number) => void,
): void {
  let time = profile.startTime
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index] ?? 0
    if (window && (time < window.start || time > window.end)) return
    visit(nodeId, Math.max(0, profile.timeDeltas[index + 1] ?? 0))
  })
}

/** The entry of `frame`'s function (name + script URL) in `byFunction`, added by `create` if new. */
function entryOf<Entry>(
  byFunction: Map<string, Entry>,
  frame: CallFrame,
  create: () => Entry,
): Entry {
  let key = `${frame.functionName}\u0000${frame.url}`
  let entry = byFunction.get(key)
  if (entry === undefined) {
    entry = create()
    byFunction.set(key, entry)
  }
  return entry
}
