import type { PatternVariant } from './route-pattern.ts'

/** One route as a tree leaf holds it: its data, and how to turn captures into params. */
export interface Registration<Data> {
  data: Data
  pattern: string
  /** The name of each capture, in order; unnamed wildcards capture nothing. */
  captureNames: string[]
  /** Params of the pattern this variant leaves out (inside an optional group): `undefined`. */
  missingNames: string[]
}

/** The routes that end at one tree position, by method (`'ANY'` for every method). */
export type Leaf<Data> = Map<string, Registration<Data>>

/** A position in the segment tree: the segments matched so far. */
export interface Node<Data> {
  /** Children by static segment text, compared in place against the path (no substring, no hash). */
  statics: StaticChild<Data>[] | undefined
  /** The same children by text, once there are too many to compare one by one. */
  staticIndex: Map<string, Node<Data>> | undefined
  /** Children for segments with params and for wildcard tails, most specific first. */
  dynamic: Dynamic<Data>[]
  leaf: Leaf<Data> | undefined
}

/** A child of a node for one static segment; `key` is its encoded (and maybe lower-cased) text. */
export interface StaticChild<Data> {
  key: string
  node: Node<Data>
}

/** A child for one segment holding params. */
export interface SegmentDynamic<Data> {
  kind: 'segment'
  key: string
  rank: number[]
  /** Undefined for a param that fills the whole segment. */
  regex: RegExp | undefined
  node: Node<Data>
}

/** The rest of the path from a segment holding a wildcard: matched at once, by one regex. */
export interface TailDynamic<Data> {
  kind: 'tail'
  key: string
  rank: number[]
  regex: RegExp
  leaf: Leaf<Data>
}

/** A child that captures: a segment with params, or a wildcard tail. */
export type Dynamic<Data> = SegmentDynamic<Data> | TailDynamic<Data>

/** One part of a pattern variant: text, a param or a wildcard. */
export type Part = PatternVariant[number]

/** A new node without children. */
export function createNode<Data>(): Node<Data> {
  return { statics: undefined, staticIndex: undefined, dynamic: [], leaf: undefined }
}
