/**
 * Where a child's static text must be in a path for the child to match:
 * - `segmentStart`: at the start of the segment (`v1-:id`, `v*rest`);
 * - `segmentEnd`: at the end of the segment (`:id.json`, `:a.:b.v1`);
 * - `afterLeadingParam`: from the segment's first `.` on, right after its leading param
 *   (`:a.v1.:b`), since a param that shares its segment never holds a `.`;
 * - `pathEnd`: at the end of the path, for a wildcard pattern (`*path.md`).
 */
export type TextAnchor = 'segmentStart' | 'segmentEnd' | 'afterLeadingParam' | 'pathEnd'

/** What the dynamic children of a tree node have in common: how they are told apart and ordered. */
export interface RankedChild {
  /** Tells children apart: their kind and regex source. */
  key: string
  /** Specificity, compared element by element: 3 for a text character, 2 a param, 1 a wildcard. */
  rank: number[]
  /** Static text the path must hold for the child to match, as keys compare it, and where. */
  anchor: { text: string; at: TextAnchor } | undefined
  /** Place among its node's dynamic children, most specific first; kept up to date by the node. */
  position: number
}

/** Past this many dynamic children, a node indexes them by their static text. */
const maxUnindexed = 8

/**
 * The dynamic children of one tree node (segments with params, wildcard tails), most specific
 * first. A node with many of them (thousands of `/files/v1-:id` or `/files/:id.v1`) indexes them by
 * their static text and where it must be (their {@link TextAnchor}), so a lookup tries only those
 * whose text is in the path, instead of running every child's regex. Only children without such
 * text are tried whatever the path: the one plain param, and wildcards with text only between
 * themselves and a later param (`*path.v1.:ext`).
 */
export class DynamicChildren<Child extends RankedChild> {
  /** Every child, most specific first; ties in the order they were added. */
  readonly list: Child[] = []
  #index: TextIndex<Child> | undefined

  /** The child whose key is `key`, if any. */
  get(key: string): Child | undefined {
    let index = this.#index
    return index !== undefined ? index.byKey.get(key) : this.list.find((child) => child.key === key)
  }

  /** Adds `child` after every child at least as specific. */
  add(child: Child): void {
    let list = this.list
    let at = insertionPoint(list, child.rank)
    list.splice(at, 0, child)
    for (let position = at; position < list.length; position++) {
      ;(list[position] as Child).position = position
    }
    if (this.#index !== undefined) this.#index.add(child)
    else if (list.length > maxUnindexed) {
      let index = new TextIndex<Child>()
      for (let each of list) index.add(each)
      this.#index = index
    }
  }

  /**
   * The children that may match the segment of `keyPath` from `offset` to `end`, most specific
   * first: every child that matches it, and maybe others (whose regex then decides).
   */
  candidates(keyPath: string, offset: number, end: number): readonly Child[] {
    let index = this.#index
    return index === undefined ? this.list : index.candidates(keyPath, offset, end)
  }
}

/** Children by their static text, one group per kind of anchor; the others unindexed. */
class TextIndex<Child extends RankedChild> {
  readonly byKey = new Map<string, Child>()
  readonly #byAnchor: Record<TextAnchor, TextBuckets<Child>> = {
    segmentStart: new TextBuckets(),
    segmentEnd: new TextBuckets(),
    afterLeadingParam: new TextBuckets(),
    pathEnd: new TextBuckets(),
  }
  readonly #unindexed: Child[] = []

  add(child: Child): void {
    this.byKey.set(child.key, child)
    let anchor = child.anchor
    if (anchor === undefined) this.#unindexed.push(child)
    else this.#byAnchor[anchor.at].add(anchor.text, child)
  }

  candidates(keyPath: string, offset: number, end: number): Child[] {
    let found = this.#unindexed.slice()
    let { segmentStart, segmentEnd, afterLeadingParam, pathEnd } = this.#byAnchor
    segmentStart.collect(keyPath, offset, end, found)
    segmentEnd.collectEnding(keyPath, offset, end, found)
    // The leading param holds at least one character and no `.`.
    let dot = keyPath.indexOf('.', offset + 1)
    if (dot !== -1 && dot < end) afterLeadingParam.collect(keyPath, dot, end, found)
    pathEnd.collectEnding(keyPath, offset, keyPath.length, found)
    // Positions change as children are added, so the order is taken at lookup.
    return found.sort(byPosition)
  }
}

/** Children grouped by a text, with the distinct lengths of those texts. */
class TextBuckets<Child> {
  readonly #byText = new Map<string, Child[]>()
  /** Ascending. */
  readonly #lengths: number[] = []

  add(text: string, child: Child): void {
    let bucket = this.#byText.get(text)
    if (bucket !== undefined) bucket.push(child)
    else this.#byText.set(text, [child])
    let lengths = this.#lengths
    if (!lengths.includes(text.length)) {
      lengths.push(text.length)
      lengths.sort((a, b) => a - b)
    }
  }

  /** Adds to `into` the children whose text is in `keyPath` from `start`, ending by `end`. */
  collect(keyPath: string, start: number, end: number, into: Child[]): void {
    for (let length of this.#lengths) {
      if (length > end - start) return
      let bucket = this.#byText.get(keyPath.slice(start, start + length))
      if (bucket !== undefined) for (let child of bucket) into.push(child)
    }
  }

  /** Adds to `into` the children whose text is in `keyPath` up to `end`, from `start` on. */
  collectEnding(keyPath: string, start: number, end: number, into: Child[]): void {
    for (let length of this.#lengths) {
      if (length > end - start) return
      let bucket = this.#byText.get(keyPath.slice(end - length, end))
      if (bucket !== undefined) for (let child of bucket) into.push(child)
    }
  }
}

function byPosition(a: RankedChild, b: RankedChild): number {
  return a.position - b.position
}

/** Where a child of `rank` goes in `list` (most specific first): after every one at least as specific. */
function insertionPoint(list: readonly RankedChild[], rank: number[]): number {
  let low = 0
  let high = list.length
  while (low < high) {
    let middle = (low + high) >>> 1
    if (compareRanks((list[middle] as RankedChild).rank, rank) >= 0) low = middle + 1
    else high = middle
  }
  return low
}

/** Positive when `a` is more specific than `b`: the earliest difference decides, then the length. */
function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    let difference = (a[index] as number) - (b[index] as number)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}
