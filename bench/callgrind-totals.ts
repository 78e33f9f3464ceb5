import { readFileSync } from 'node:fs'

/** Instructions a callgrind dump counted: all of them, and those of V8's garbage collector. */
export interface InstructionCounts {
  total: number
  garbageCollection: number
}

/**
 * Functions of V8's garbage collector, by their C++ names: marking, sweeping, scavenging,
 * compaction and the heap walks they make. A heuristic over symbol names (the node binary's):
 * what it misses counts as the program's own work.
 */
const garbageCollector =
  /Marking|Sweeper|Scaveng|MarkCompact|Evacuat|IterateObjectCache|BodyDescriptorBase|Heap::|HeapObject::SizeFromMap|PagedSpace|RememberedSet|SlotSet|MemoryAllocator|MinorMS|GCTracer/

/**
 * Reads a callgrind dump (`--dump-instr=no`, one event: `Ir`) and sums each function's own
 * instructions (the lines that follow `fn=`, not those after a `calls=` line, which are a callee's
 * inclusive cost), telling the garbage collector's apart by name.
 */
export function readInstructionCounts(file: string): InstructionCounts {
  let names = new Map<string, string>()
  let current = ''
  let afterCall = false
  let counts: InstructionCounts = { total: 0, garbageCollection: 0 }
  for (let line of readFileSync(file, 'utf8').split('\n')) {
    let named = /^c?fn=\((\d+)\)(?: (.+))?$/.exec(line)
    if (named) {
      let id = named[1] as string
      if (named[2] !== undefined) names.set(id, named[2])
      if (line.startsWith('fn=')) {
        current = names.get(id) ?? ''
        afterCall = false
      }
    } else if (line.startsWith('calls=')) {
      afterCall = true
    } else if (/^[0-9+\-*]/.test(line)) {
      // `<position> <instructions>`: a callee's inclusive cost right after `calls=`.
      if (afterCall) {
        afterCall = false
        continue
      }
      let instructions = Number(line.split(' ')[1] ?? 0)
      counts.total += instructions
      if (garbageCollector.test(current)) counts.garbageCollection += instructions
    }
  }
  return counts
}
