import type { Dynamic, Leaf, Node, Registration, StaticChild } from './matcher-tree.ts'

/**
 * One walk of a matcher's segment tree for one lookup. A lookup makes its own walk, so nothing of
 * it lives on the matcher: a lookup started while another is under way (from code the first one
 * calls) cannot disturb it. Static segments are tried first, then the dynamic children in order of
 * specificity; `visit` decides at each leaf reached whether the walk is over.
 */
abstract class TreeWalk<Data> {
  #path = ''
  #keyPath = ''
  #captures: string[] = []

  /**
   * Walks the tree from `root` for `path` (the pathname without its leading `/`); `keyPath` is the
   * path as static keys compare it (lower-cased when the matcher ignores case).
   */
  run(root: Node<Data>, path: string, keyPath: string): boolean {
    this.#path = path
    this.#keyPath = keyPath
    this.#captures = []
    return this.#walk(root, 0)
  }

  /** Called for each leaf the path reaches, with the captures so far; `true` ends the walk. */
  protected abstract visit(leaf: Leaf<Data>, captures: string[]): boolean

  /** Matches the segment starting at `offset` (past the end: the path is used up) and the rest. */
  #walk(node: Node<Data>, offset: number): boolean {
    let path = this.#path
    if (offset > path.length)
      return node.leaf !== undefined && this.visit(node.leaf, this.#captures)
    let end = path.indexOf('/', offset)
    if (end === -1) end = path.length
    let statics = node.statics
    if (node.staticIndex !== undefined) {
      let child = node.staticIndex.get(this.#keyPath.slice(offset, end))
      if (child !== undefined && this.#walk(child, end + 1)) return true
    } else if (statics !== undefined) {
      let length = end - offset
      let keyPath = this.#keyPath
      for (let index = 0; index < statics.length; index++) {
        let child = statics[index] as StaticChild<Data>
        if (child.key.length === length && keyPath.startsWith(child.key, offset)) {
          if (this.#walk(child.node, end + 1)) return true
          break
        }
      }
    }
    return node.dynamic.length > 0 && this.#walkDynamic(node.dynamic, offset, end)
  }

  /** Tries each dynamic child of a node for the segment from `offset` to `end`, in order. */
  #walkDynamic(dynamics: Dynamic<Data>[], offset: number, end: number): boolean {
    let path = this.#path
    let captures = this.#captures
    let segment = path.slice(offset, end)
    for (let position = 0; position < dynamics.length; position++) {
      let dynamic = dynamics[position] as Dynamic<Data>
      if (dynamic.kind === 'tail') {
        let match = dynamic.regex.exec(offset === 0 ? path : path.slice(offset))
        if (match !== null && this.visit(dynamic.leaf, captures.concat(match.slice(1) as string[])))
          return true
        continue
      }
      let count = 1
      if (dynamic.regex === undefined) {
        if (segment === '') continue
        captures.push(segment)
      } else {
        let match = dynamic.regex.exec(segment)
        if (match === null) continue
        count = match.length - 1
        for (let group = 1; group <= count; group++) captures.push(match[group] as string)
      }
      if (this.#walk(dynamic.node, end + 1)) return true
      captures.length -= count
    }
    return false
  }
}

/**
 * Finds the first leaf, most specific first, with a route for one of `methods` (in order of
 * preference), or for `'ANY'`.
 */
export class FindWalk<Data> extends TreeWalk<Data> {
  readonly #methods: readonly string[]
  /** The route found; `undefined` until the walk ends on one. */
  found: Registration<Data> | undefined
  /** The captures of the route found, in order. */
  captures: string[] = []

  /** @param methods The accepted methods, most preferred first. */
  constructor(methods: readonly string[]) {
    super()
    this.#methods = methods
  }

  protected override visit(leaf: Leaf<Data>, captures: string[]): boolean {
    let registration: Registration<Data> | undefined
    let methods = this.#methods
    for (let index = 0; index < methods.length && registration === undefined; index++) {
      registration = leaf.get(methods[index] as string)
    }
    registration ??= leaf.get('ANY')
    if (registration === undefined) return false
    this.found = registration
    // The walk ends here, so the array is not changed after this.
    this.captures = captures
    return true
  }
}

/** Collects the methods of every leaf the path reaches: the walk never ends early. */
export class MethodsWalk<Data> extends TreeWalk<Data> {
  /** The methods seen so far; `'ANY'` when a route accepts every method. */
  readonly methods = new Set<string>()

  protected override visit(leaf: Leaf<Data>): boolean {
    for (let method of leaf.keys()) this.methods.add(method)
    return false
  }
}
