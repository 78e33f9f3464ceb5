import { DynamicChildren, type RankedChild } from './dynamic-children.ts'
import type { PatternVariant } from './route-pattern.ts'
import { StaticChildren } from './static-children.ts'

/** One route as a tree leaf holds it: its data, and how to turn captures into params. */
export interface Registration<Data> {
  data: Data
  pattern: string
  /** The name of each capture, in order; unnamed wildcards capture nothing. */
  captureNames: string[]
  /** Params of the pattern this variant leaves out (inside an optional group): `undefined`. */
  missingNames: string[]
}

/**
 * The routes that end at one tree position, by method (`'ANY'` for every method). A leaf holds a
 * few methods, so they are compared one by one: cheaper than hashing the method.
 */
export class Leaf<Data> {
  readonly #methods: string[] = []
  readonly #routes: Registration<Data>[] = []

  /** The route for `method`, if any. */
  get(method: string): Registration<Data> | undefined {
    let methods = this.#methods
    for (let index = 0; index < methods.length; index++) {
      if (methods[index] === method) return this.#routes[index]
    }
    return undefined
  }

  /** The route for the first of `methods` it has, else its route for `'ANY'`. */
  pick(methods: readonly string[]): Registration<Data> | undefined {
    for (let index = 0; index < methods.length; index++) {
      let registration = this.get(methods[index] as string)
      if (registration !== undefined) return registration
    }
    return this.get('ANY')
  }

  /** Sets the route for `method`, replacing any. */
  set(method: string, registration: Registration<Data>): void {
    let index = this.#methods.indexOf(method)
    if (index === -1) {
      this.#methods.push(method)
      this.#routes.push(registration)
    } else {
      this.#routes[index] = registration
    }
  }

  /** The methods that have a route. */
  get methods(): readonly string[] {
    return this.#methods
  }
}

/** A position in the segment tree: the segments matched so far. */
export interface Node<Data> {
  statics: StaticChildren<Node<Data>>
  /** Children for segments with params and for wildcard tails, most specific first. */
  dynamic: DynamicChildren<Dynamic<Data>>
  /**
   * The child of a node whose only child is a param filling the whole segment (`/users/:id`), the
   * commonest kind of node with a param: a lookup takes it without asking the children.
   */
  onlyParam: Node<Data> | undefined
  leaf: Leaf<Data> | undefined
}

/** A child for one segment holding params. */
export interface SegmentDynamic<Data> extends RankedChild {
  kind: 'segment'
  /** Undefined for a param that fills the whole segment. */
  regex: RegExp | undefined
  node: Node<Data>
}

/** The rest of the path from a segment holding a wildcard: matched at once, by one regex. */
export interface TailDynamic<Data> extends RankedChild {
  kind: 'tail'
  regex: RegExp
  leaf: Leaf<Data>
}

/** A child that captures: a segment with params, or a wildcard tail. */
export type Dynamic<Data> = SegmentDynamic<Data> | TailDynamic<Data>

/** One part of a pattern variant: text, a param or a wildcard. */
export type Part = PatternVariant[number]

/** A new node without children. */
export function createNode<Data>(): Node<Data> {
  return {
    statics: new StaticChildren(),
    dynamic: new DynamicChildren(),
    onlyParam: undefined,
    leaf: undefined,
  }
}

/** Sets `node.onlyParam` from the children it has now: call it after adding one. */
export function updateOnlyParam<Data>(node: Node<Data>): void {
  let [only] = node.dynamic.list
  let alone = node.statics.isEmpty && node.dynamic.list.length === 1
  node.onlyParam =
    alone && only?.kind === 'segment' && only.regex === undefined ? only.node : undefined
}
