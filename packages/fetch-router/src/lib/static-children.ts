/** A static child: the segment text it matches, as the path compares it, and what it leads to. */
export interface StaticEntry<Child> {
  /** Percent-encoded (and lower-cased when the matcher ignores case); never holds a `/`. */
  key: string
  child: Child
}

/** Past this many entries (in all, or in one slot), entries are not compared one by one. */
const maxScanned = 8
const slotCount = 256

/**
 * The static children of one tree node. A lookup compares the segment with a few keys rather than
 * hashing it: the segments of a request path are new strings, whose hash V8 has yet to compute. A
 * node with many children puts them in slots by length and first two characters; a slot that still
 * holds many (thousands of `/s1`, `/s2`, …) is served by a map.
 */
export class StaticChildren<Child> {
  #entries: StaticEntry<Child>[] = []
  #slots: (StaticEntry<Child>[] | undefined)[] | undefined
  #byKey: Map<string, StaticEntry<Child>> | undefined

  /** Whether there are none. */
  get isEmpty(): boolean {
    return this.#entries.length === 0
  }

  /** The child for the segment text `key`, if any. */
  get(key: string): Child | undefined {
    let entry = this.#byKey?.get(key) ?? this.#entries.find((each) => each.key === key)
    return entry?.child
  }

  /** Adds `child` for the segment text `key`, which has none yet. */
  add(key: string, child: Child): void {
    let entry = { key, child }
    this.#entries.push(entry)
    // Kept up to date once made, rather than rebuilt: adding n children stays linear.
    if (this.#slots !== undefined && this.#byKey !== undefined) {
      addToSlot(this.#slots, entry)
      this.#byKey.set(key, entry)
    } else if (this.#entries.length > maxScanned) {
      // Filled with `undefined` rather than left holey, so that V8 keeps its elements packed.
      let slots = new Array<StaticEntry<Child>[] | undefined>(slotCount).fill(undefined)
      for (let each of this.#entries) addToSlot(slots, each)
      this.#slots = slots
      this.#byKey = new Map(this.#entries.map((each) => [each.key, each]))
    }
  }

  /** The entry whose key is `segment`; `undefined` when there is none. */
  find(segment: string): StaticEntry<Child> | undefined {
    let candidates = this.#slots === undefined ? this.#entries : this.#slots[slotOf(segment)]
    if (candidates === undefined) return undefined
    if (candidates.length > maxScanned) return this.#byKey?.get(segment)
    let length = segment.length
    for (let index = 0; index < candidates.length; index++) {
      let entry = candidates[index] as StaticEntry<Child>
      // Lengths first: comparing strings is a call, comparing lengths is not.
      if (entry.key.length === length && entry.key === segment) return entry
    }
    return undefined
  }
}

function addToSlot<Child>(
  slots: (StaticEntry<Child>[] | undefined)[],
  entry: StaticEntry<Child>,
): void {
  let slot = slotOf(entry.key)
  let list = slots[slot]
  if (list === undefined) slots[slot] = [entry]
  else list.push(entry)
}

/** The slot of a segment, from its length and first two characters: a few segments share one. */
function slotOf(segment: string): number {
  let length = segment.length
  if (length === 0) return 0
  let second = length > 1 ? segment.charCodeAt(1) : 0
  return (segment.charCodeAt(0) * 31 + second + length * 7) & (slotCount - 1)
}
