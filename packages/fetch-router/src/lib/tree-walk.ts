import type { Dynamic, Leaf, Node, Registration } from './matcher-tree.ts'

/**
 * One walk of a matcher's segment tree for one lookup. A lookup makes its own walk, so nothing of
 * it lives on the matcher: a lookup started while another is under way (from code the first one
 * calls) cannot disturb it. Static segments are tried first, then the dynamic children in order of
 * specificity. A walk either finds the first route for its methods (`found`, `captures`), or, made
 * to collect methods, visits every leaf the path reaches and collects their methods.
 */
export class TreeWalk<Data> {
  readonly #path: string
  readonly #keyPath: string
  /** Whether `#keyPath` differs from `#path`: static keys ignore case, params keep it. */
  readonly #caseFolded: boolean
  readonly #methods: readonly string[]
  readonly #collected: Set<string> | undefined
  /** The route found; `undefined` until the walk ends on one. */
  found: Registration<Data> | undefined = undefined
  /**
   * The captures so far, in order, in the first `captureCount` places; those of the route found
   * once the walk ends on one. Made with room for a few (not from a literal, whose elements V8
   * would copy at the first write), so that capturing them allocates nothing.
   */
  readonly captures: string[] = new Array<string>(4)
  /** How many places of `captures` hold captures. */
  captureCount = 0

  /**
   * @param path The pathname, from its leading `/`, its escapes in upper case.
   * @param keyPath `path` as static keys compare it (lower-cased when the matcher ignores case).
   * @param methods The accepted methods, most preferred first (`'ANY'` routes accept any).
   * @param collected Where to collect the methods of every leaf instead: the walk never ends early.
   */
  constructor(path: string, keyPath: string, methods: readonly string[], collected?: Set<string>) {
    this.#path = path
    this.#keyPath = keyPath
    this.#caseFolded = keyPath !== path
    this.#methods = methods
    this.#collected = collected
  }

  /** Walks the tree from `root`, once per walk; `true` when it found a route. */
  run(root: Node<Data>): boolean {
    return this.#walk(root, 1)
  }

  /**
   * Matches the segment starting at `offset` (past the end: the path is used up) and the rest.
   * Where a segment leaves one way on (a static child and no dynamic one, or one plain param and
   * no static match), it goes on in this loop rather than in a call: nothing there to come back to.
   * Failing, it may leave captures past the caller's count, which the caller then resets.
   */
  #walk(node: Node<Data>, offset: number): boolean {
    let path = this.#path
    let keyPath = this.#keyPath
    for (;;) {
      if (offset > path.length) return node.leaf !== undefined && this.#visit(node.leaf)
      let onlyParam = node.onlyParam
      if (onlyParam !== undefined) {
        let end = path.indexOf('/', offset)
        if (end === -1) end = path.length
        if (end === offset) return false
        this.captures[this.captureCount++] = path.slice(offset, end)
        node = onlyParam
        offset = end + 1
        continue
      }
      let statics = node.statics
      let dynamics = node.dynamic
      let dynamicCount = dynamics.list.length
      if (statics.isEmpty && dynamicCount === 0) return false
      let end = path.indexOf('/', offset)
      if (end === -1) end = path.length
      // Cut out once, and compared whole: cheaper than comparing it in place with each key.
      let key = keyPath.slice(offset, end)
      let entry = statics.find(key)
      if (entry !== undefined) {
        if (dynamicCount === 0) {
          node = entry.child
          offset = end + 1
          continue
        }
        let count = this.captureCount
        if (this.#walk(entry.child, end + 1)) return true
        this.captureCount = count
      }
      if (dynamicCount === 0) return false
      let segment = this.#caseFolded ? path.slice(offset, end) : key
      let candidates = dynamics.candidates(keyPath, offset, end)
      let only = candidates.length === 1 ? (candidates[0] as Dynamic<Data>) : undefined
      if (only === undefined || only.kind === 'tail' || only.regex !== undefined) {
        return this.#walkDynamic(candidates, offset, end, segment)
      }
      if (segment === '') return false
      this.captures[this.captureCount++] = segment
      node = only.node
      offset = end + 1
    }
  }

  /** Tries each dynamic child for `segment`, from `offset` to `end`, in order. */
  #walkDynamic(
    dynamics: readonly Dynamic<Data>[],
    offset: number,
    end: number,
    segment: string,
  ): boolean {
    let path = this.#path
    let captures = this.captures
    let count = this.captureCount
    for (let position = 0; position < dynamics.length; position++) {
      let dynamic = dynamics[position] as Dynamic<Data>
      if (dynamic.regex === undefined) {
        if (segment === '') continue
        captures[count] = segment
        this.captureCount = count + 1
      } else {
        let match = dynamic.regex.exec(dynamic.kind === 'tail' ? path.slice(offset) : segment)
        if (match === null) continue
        for (let group = 1; group < match.length; group++) {
          captures[count + group - 1] = match[group] as string
        }
        this.captureCount = count + match.length - 1
      }
      let found =
        dynamic.kind === 'tail' ? this.#visit(dynamic.leaf) : this.#walk(dynamic.node, end + 1)
      if (found) return true
      this.captureCount = count
    }
    return false
  }

  /** Takes the route of `leaf` for the first accepted method, or collects its methods. */
  #visit(leaf: Leaf<Data>): boolean {
    if (this.#collected !== undefined) {
      for (let method of leaf.methods) this.#collected.add(method)
      return false
    }
    this.found = leaf.pick(this.#methods)
    return this.found !== undefined
  }
}
