/** One garbage collection as V8's `--trace-gc-nvp` reports it. */
export interface GcEvent {
  /** `s` for a scavenge (young generation), `mc` for a mark-compact; others as V8 names them. */
  kind: string
  /** The pause, in milliseconds. */
  pause: number
  /**
   * Bytes allocated since the collection before it: how much the size of the heap's objects grew
   * meanwhile, in every space of V8's heap (not the memory of `Buffer`s outside it).
   */
  allocated: number
  /** Bytes this collection moved from the young generation to the old one. */
  promoted: number
  /** Capacity of the young generation's space for new objects, in bytes; `NaN` when not given. */
  newSpaceCapacity: number
}

/**
 * The collection a line of `--trace-gc-nvp` output reports; `undefined` for any other line. Node
 * 26's V8 prints `GC: {...}` (JSON), Node 20's and 24's `key=value` pairs.
 */
export function parseGcLine(line: string): GcEvent | undefined {
  let fields = gcFields(line)
  if (fields === undefined || fields.gc === undefined || fields.allocated === undefined) {
    return undefined
  }
  return {
    kind: String(fields.gc),
    pause: Number(fields.pause),
    allocated: Number(fields.allocated),
    promoted: Number(fields.promoted ?? 0),
    newSpaceCapacity: Number(fields.new_space_capacity ?? Number.NaN),
  }
}

function gcFields(line: string): Record<string, unknown> | undefined {
  let json = line.indexOf('GC: {')
  if (json >= 0) {
    try {
      return JSON.parse(line.slice(json + 4)) as Record<string, unknown>
    } catch {
      return undefined
    }
  }
  if (!line.includes(' gc=')) return undefined
  let fields: Record<string, string> = {}
  for (let pair of line.matchAll(/(\S+)=(\S*)/g)) fields[pair[1] as string] = pair[2] as string
  return fields
}

/** What the collections of a stretch of time add up to. */
export interface GcTotals {
  /** Bytes allocated (see {@link GcEvent.allocated}), over every collection. */
  allocated: number
  /** Bytes promoted to the old generation. */
  promoted: number
  /** How many scavenges. */
  scavenges: number
  /** How many collections of another kind (mark-sweep-compact, minor mark-sweep). */
  others: number
  /** Pauses, in milliseconds, over every collection. */
  pause: number
  /** The young generation's capacity at the last collection that gave it, in bytes (or `NaN`). */
  newSpaceCapacity: number
}

/** Adds up `events`. */
export function totalGc(events: readonly GcEvent[]): GcTotals {
  let totals: GcTotals = {
    allocated: 0,
    promoted: 0,
    scavenges: 0,
    others: 0,
    pause: 0,
    newSpaceCapacity: Number.NaN,
  }
  for (let event of events) {
    totals.allocated += event.allocated
    totals.promoted += event.promoted
    totals.pause += event.pause
    if (event.kind === 's') totals.scavenges++
    else totals.others++
    if (!Number.isNaN(event.newSpaceCapacity)) totals.newSpaceCapacity = event.newSpaceCapacity
  }
  return totals
}

/**
 * Collects the collections a server reports on stdout (`--trace-gc-nvp`): feed it the chunks
 * (`onStdout` of `startServer`); `take()` gives those reported since the last `take()`.
 */
export class GcLog {
  #pending = ''
  #events: GcEvent[] = []

  /** Takes in a chunk of output; lines may be split across chunks. */
  readonly write = (chunk: string): void => {
    let lines = (this.#pending + chunk).split('\n')
    this.#pending = lines.pop() ?? ''
    for (let line of lines) {
      let event = parseGcLine(line)
      if (event !== undefined) this.#events.push(event)
    }
  }

  /** The collections reported since the last call (complete lines only). */
  take(): GcEvent[] {
    let events = this.#events
    this.#events = []
    return events
  }
}
