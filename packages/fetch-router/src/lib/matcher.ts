import type { TextAnchor } from './dynamic-children.ts'
import {
  createNode,
  type Dynamic,
  Leaf,
  type Node,
  type Part,
  type Registration,
  type SegmentDynamic,
  type TailDynamic,
  updateOnlyParam,
} from './matcher-tree.ts'
import { decodePatternText, encodePathText } from './path-encoding.ts'
import {
  collectParamNames,
  expandVariants,
  type PatternVariant,
  parsePattern,
} from './route-pattern.ts'
import { StaticPaths } from './static-paths.ts'
import { TreeWalk } from './tree-walk.ts'

/** Options that change which pathnames a {@link Matcher} considers equal. */
export interface MatcherOptions {
  /** Compare static text without regard to case (`/About` matches `/about`). Default `false`. */
  ignoreCase?: boolean
  /** Treat `/users/` and `/users` as the same pathname. Default `false`. */
  ignoreTrailingSlash?: boolean
}

/** A successful lookup: the data registered for the route and the params it captured. */
export interface Match<Data> {
  data: Data
  params: Record<string, string | undefined>
}

const malformedEscape = /%(?![0-9A-Fa-f]{2})/
const escapedByte = /%[0-9a-f]{2}/gi
const textRank = 3
const paramRank = 2
const wildcardRank = 1

/**
 * Compiles route patterns into a segment tree so that a lookup walks the pathname once instead of
 * testing every route: static segments are tried first (see `StaticChildren`), then segments with
 * params and wildcard tails from most to least specific (static text beats a param, a param beats
 * a wildcard, and the earliest difference decides), only those whose static text the path holds
 * (see `DynamicChildren`). A lookup visits each tree node at most once; a path that a static route
 * matches whole skips the walk (see `StaticPaths`). Each lookup keeps its state in a walk of its
 * own, never on the matcher, so lookups may nest.
 */
export class Matcher<Data> {
  #root: Node<Data> = createNode()
  /** The leaf of every path a route matches whole (`/users/new`), by key path: found without a walk. */
  #staticPaths = new StaticPaths<Leaf<Data>>()
  #ignoreCase: boolean
  #ignoreTrailingSlash: boolean

  constructor(options: MatcherOptions = {}) {
    this.#ignoreCase = options.ignoreCase ?? false
    this.#ignoreTrailingSlash = options.ignoreTrailingSlash ?? false
  }

  /**
   * Registers `data` for `method` (or `'ANY'`) on every URL the pattern matches.
   *
   * @throws {TypeError} when the pattern is malformed, or when the same method already has a route
   * that matches exactly the same URLs (the same pattern, or one that differs only in param names).
   * Nothing is registered then.
   */
  add(method: string, pattern: string, data: Data): void {
    this.addAll([{ method, pattern, data }])
  }

  /**
   * Registers several routes at once, or none: every variant of every route is checked against the
   * routes already registered and against the others of the list before any is added.
   *
   * @throws {TypeError} as {@link Matcher.add} does, also when two routes of the list clash.
   */
  addAll(routes: readonly { method: string; pattern: string; data: Data }[]): void {
    let planned: [Leaf<Data>, string, Registration<Data>][] = []
    for (let { method, pattern, data } of routes) {
      let tokens = parsePattern(pattern)
      let allNames = collectParamNames(tokens)
      for (let variant of expandVariants(pattern, tokens)) {
        let captureNames: (string | undefined)[] = []
        for (let token of variant) if (token.type !== 'text') captureNames.push(token.name)
        let missingNames = allNames.filter((name) => !captureNames.includes(name))
        let registration = {
          data,
          pattern,
          captureNames: captureNames.filter(isDefined),
          missingNames,
        }
        let leaf = this.#leafFor(variant, pattern)
        let twin = planned.find((plan) => plan[0] === leaf && plan[1] === method)
        // Two variants of one route that end at one leaf (`/x(/)` ignoring the trailing slash).
        if (twin !== undefined && twin[2].data === data && twin[2].pattern === pattern) continue
        checkFree(leaf, method, registration, twin?.[2])
        planned.push([leaf, method, registration])
      }
    }
    for (let [leaf, method, registration] of planned) leaf.set(method, registration)
  }

  /**
   * Finds the most specific route for `pathname` that accepts one of `methods`, in order of
   * preference within each route (routes registered for `'ANY'` accept every method).
   *
   * @throws {URIError} when the pathname holds malformed percent-encoding (a `%` not followed by
   * two hex digits, or a param that does not decode to UTF-8).
   */
  find(pathname: string, methods: readonly string[]): Match<Data> | undefined {
    let escaped = pathname.includes('%')
    let path = normalizePath(pathname, escaped)
    let keyPath = this.#ignoreCase ? path.toLowerCase() : path
    // A path that a static route matches whole: that route is the most specific there is.
    let leaf = this.#staticPaths.get(keyPath)
    let registration = leaf?.pick(methods)
    if (registration !== undefined) {
      return { data: registration.data, params: buildParams(registration, [], false) }
    }
    let walk = this.#search(path, keyPath, methods, undefined)
    if (walk === undefined) return undefined
    let found = walk.found as Registration<Data>
    return { data: found.data, params: buildParams(found, walk.captures, escaped) }
  }

  /**
   * The methods of every route whose pattern matches `pathname`, whatever its method; empty when no
   * pattern matches. Contains `'ANY'` when a route accepts every method.
   *
   * @throws {URIError} as {@link Matcher.find} does.
   */
  methodsFor(pathname: string): Set<string> {
    let path = normalizePath(pathname, pathname.includes('%'))
    let methods = new Set<string>()
    this.#search(path, this.#ignoreCase ? path.toLowerCase() : path, [], methods)
    return methods
  }

  /** The walk that found a route for `path` (retried without its trailing slash if ignored). */
  #search(
    path: string,
    keyPath: string,
    methods: readonly string[],
    collected: Set<string> | undefined,
  ): TreeWalk<Data> | undefined {
    let walk = new TreeWalk<Data>(path, keyPath, methods, collected)
    if (walk.run(this.#root)) return walk
    if (!this.#ignoreTrailingSlash || path.length < 2 || !path.endsWith('/')) return undefined
    walk = new TreeWalk<Data>(path.slice(0, -1), keyPath.slice(0, -1), methods, collected)
    return walk.run(this.#root) ? walk : undefined
  }

  /** The leaf a variant ends at, made with the nodes on the way to it when missing. */
  #leafFor(variant: PatternVariant, pattern: string): Leaf<Data> {
    let segments = splitSegments(variant)
    if (this.#ignoreTrailingSlash && segments.length > 1 && segments.at(-1)?.length === 0) {
      segments.pop()
    }
    let node = this.#root
    // The key path while every segment so far is static text.
    let staticPath: string | undefined = ''
    for (let [index, segment] of segments.entries()) {
      if (segment.some((part) => part.type === 'wildcard')) {
        let tail = segments.slice(index)
        let source = tail.map((parts) => segmentSource(parts, pattern, tail.length > 1)).join('/')
        let dynamic = this.#dynamicChild(node, 'tail', source, tail, pattern)
        return (dynamic as TailDynamic<Data>).leaf
      }
      let [only] = segment
      if (segment.length <= 1 && only?.type !== 'param') {
        let key = this.#key(only?.type === 'text' ? only.value : '', pattern)
        let child = node.statics.get(key)
        if (child === undefined) {
          child = createNode()
          node.statics.add(key, child)
          updateOnlyParam(node)
        }
        node = child
        staticPath = staticPath === undefined ? undefined : `${staticPath}/${key}`
        continue
      }
      staticPath = undefined
      let source = segment.length === 1 ? undefined : segmentSource(segment, pattern, false)
      let dynamic = this.#dynamicChild(node, 'segment', source, [segment], pattern)
      node = (dynamic as SegmentDynamic<Data>).node
    }
    node.leaf ??= new Leaf()
    if (staticPath !== undefined) this.#staticPaths.set(staticPath, node.leaf)
    return node.leaf
  }

  /** Static pattern text as the tree keys it: percent-encoded, lower-cased when ignoring case. */
  #key(text: string, pattern: string): string {
    let key = encodePathText(decodePatternText(text, pattern))
    return this.#ignoreCase ? key.toLowerCase() : key
  }

  /** The child of `node` for the dynamic `segments` (one, or a wildcard tail), added when missing. */
  #dynamicChild(
    node: Node<Data>,
    kind: Dynamic<Data>['kind'],
    source: string | undefined,
    segments: Part[][],
    pattern: string,
  ): Dynamic<Data> {
    let key = `${kind}:${source ?? ''}`
    let existing = node.dynamic.get(key)
    if (existing) return existing
    let regex =
      source === undefined ? undefined : new RegExp(`^${source}$`, this.#ignoreCase ? 'i' : '')
    let anchor = textAnchorOf(kind, segments)
    let base = {
      key,
      rank: segments.flatMap(rankParts),
      anchor: anchor && { text: this.#key(anchor.text, pattern), at: anchor.at },
      position: 0,
    }
    let dynamic: Dynamic<Data> =
      kind === 'tail'
        ? { kind, ...base, regex: regex as RegExp, leaf: new Leaf() }
        : { kind, ...base, regex, node: createNode() }
    node.dynamic.add(dynamic)
    updateOnlyParam(node)
    return dynamic
  }
}

/**
 * `pathname` as the tree walks it: with a leading `/`, and with its percent-escapes in upper case,
 * as patterns are encoded (what they encode stays data).
 *
 * @param escaped Whether `pathname` holds a `%`.
 * @throws {URIError} when a `%` is not followed by two hex digits.
 */
function normalizePath(pathname: string, escaped: boolean): string {
  let path = pathname.charCodeAt(0) === 47 /* / */ ? pathname : `/${pathname}`
  if (!escaped) return path
  if (malformedEscape.test(path)) throw new URIError('Malformed percent-encoding in the path')
  return path.replace(escapedByte, (byte) => byte.toUpperCase())
}

function isDefined<Value>(value: Value | undefined): value is Value {
  return value !== undefined
}

/**
 * @throws {TypeError} when `leaf` already has a route for `method`, or `planned` (a route of the
 * same registration) claims it.
 */
function checkFree<Data>(
  leaf: Leaf<Data>,
  method: string,
  registration: Registration<Data>,
  planned: Registration<Data> | undefined,
): void {
  let existing = leaf.get(method) ?? planned
  if (existing === undefined) return
  let what =
    existing.pattern === registration.pattern
      ? `is registered twice`
      : `matches the same URLs as ${method} ${existing.pattern}, which was registered first`
  throw new TypeError(`Route ${method} ${registration.pattern} ${what}`)
}

/** The params of a route: its captures by name, percent-decoded when `escaped` (the path has a `%`). */
function buildParams<Data>(
  registration: Registration<Data>,
  captures: string[],
  escaped: boolean,
): Record<string, string | undefined> {
  let params: Record<string, string | undefined> = {}
  for (let name of registration.missingNames) params[name] = undefined
  let names = registration.captureNames
  for (let index = 0; index < names.length; index++) {
    let value = captures[index] as string
    params[names[index] as string] =
      escaped && value.includes('%') ? decodeURIComponent(value) : value
  }
  return params
}

function splitSegments(variant: PatternVariant): Part[][] {
  let segments: Part[][] = [[]]
  for (let token of variant) {
    if (token.type !== 'text') {
      segments[segments.length - 1]?.push(token)
      continue
    }
    for (let [index, value] of token.value.split('/').entries()) {
      if (index > 0) segments.push([])
      if (value !== '') segments[segments.length - 1]?.push({ type: 'text', value })
    }
  }
  return segments
}

/**
 * Regex source that matches one raw (still percent-encoded) segment. A param that fills its whole
 * segment may contain dots; a param sharing its segment with text stops at `.`, so no two
 * quantifiers compete for the same characters and matching never backtracks quadratically.
 */
function segmentSource(parts: Part[], pattern: string, inTail: boolean): string {
  if (inTail && parts.length === 1 && parts[0]?.type === 'param') return '([^/]+)'
  return parts
    .map((part) => {
      if (part.type === 'param') return '([^/.]+)'
      if (part.type === 'wildcard') return part.name === undefined ? '(?:.*)' : '(.*)'
      return textSource(decodePatternText(part.value, pattern))
    })
    .join('')
}

function textSource(text: string): string {
  return encodePathText(text).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * The static text a dynamic child's path must hold, and where (see {@link TextAnchor}), as the
 * pattern writes it; `undefined` for a child without text at a known place. The first kind of
 * anchor that the pattern allows is taken, most telling first.
 */
function textAnchorOf(
  kind: Dynamic<unknown>['kind'],
  segments: Part[][],
): { text: string; at: TextAnchor } | undefined {
  let first = segments[0] as Part[]
  let [head, second] = first
  let last = kind === 'segment' ? first.at(-1) : segments.at(-1)?.at(-1)
  if (head?.type === 'text') return { text: head.value, at: 'segmentStart' }
  if (kind === 'segment' && last?.type === 'text') return { text: last.value, at: 'segmentEnd' }
  if (head?.type === 'param' && second?.type === 'text') {
    return { text: second.value, at: 'afterLeadingParam' }
  }
  if (kind === 'tail' && last?.type === 'text') return { text: last.value, at: 'pathEnd' }
  return undefined
}

function rankParts(parts: Part[]): number[] {
  return parts.flatMap((part) => {
    if (part.type === 'param') return [paramRank]
    if (part.type === 'wildcard') return [wildcardRank]
    return Array.from(part.value, () => textRank)
  })
}
