import {
  createNode,
  type Dynamic,
  type Leaf,
  type Node,
  type Part,
  type Registration,
  type SegmentDynamic,
  type TailDynamic,
} from './matcher-tree.ts'
import { decodePatternText, encodePathText } from './path-encoding.ts'
import {
  collectParamNames,
  expandVariants,
  type PatternVariant,
  parsePattern,
} from './route-pattern.ts'
import { FindWalk, MethodsWalk } from './tree-walk.ts'

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
/** Past this many static children, a node looks them up in a Map instead of comparing each. */
const maxScannedStatics = 8
const textRank = 3
const paramRank = 2
const wildcardRank = 1

/**
 * Compiles route patterns into a segment tree so that a lookup walks the pathname once instead of
 * testing every route: static segments are found by hash, then segments with params and wildcard
 * tails are tried from most to least specific (static text beats a param, a param beats a
 * wildcard, and the earliest difference decides). A lookup visits each tree node at most once.
 * Each lookup keeps its state in a walk of its own, never on the matcher, so lookups may nest.
 */
export class Matcher<Data> {
  #root: Node<Data> = createNode()
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
    let walk = new FindWalk<Data>(methods)
    let found = this.#search(pathname, walk) ? walk.found : undefined
    if (found === undefined) return undefined
    return { data: found.data, params: buildParams(found, walk.captures) }
  }

  /**
   * The methods of every route whose pattern matches `pathname`, whatever its method; empty when no
   * pattern matches. Contains `'ANY'` when a route accepts every method.
   *
   * @throws {URIError} as {@link Matcher.find} does.
   */
  methodsFor(pathname: string): Set<string> {
    let walk = new MethodsWalk<Data>()
    this.#search(pathname, walk)
    return walk.methods
  }

  #search(pathname: string, walk: FindWalk<Data> | MethodsWalk<Data>): boolean {
    let path = pathname.charCodeAt(0) === 47 /* / */ ? pathname.slice(1) : pathname
    if (path.includes('%')) {
      if (malformedEscape.test(path)) throw new URIError('Malformed percent-encoding in the path')
      // Escapes compare in upper case, as patterns are encoded; what they encode stays data.
      path = path.replace(escapedByte, (byte) => byte.toUpperCase())
    }
    if (this.#walk(walk, path)) return true
    return this.#ignoreTrailingSlash && path.endsWith('/') && this.#walk(walk, path.slice(0, -1))
  }

  #walk(walk: FindWalk<Data> | MethodsWalk<Data>, path: string): boolean {
    // A percent-encoded pathname is ASCII, so lower-casing keeps every offset.
    return walk.run(this.#root, path, this.#ignoreCase ? path.toLowerCase() : path)
  }

  /** The leaf a variant ends at, made with the nodes on the way to it when missing. */
  #leafFor(variant: PatternVariant, pattern: string): Leaf<Data> {
    let segments = splitSegments(variant)
    if (this.#ignoreTrailingSlash && segments.length > 1 && segments.at(-1)?.length === 0) {
      segments.pop()
    }
    let node = this.#root
    for (let [index, segment] of segments.entries()) {
      if (segment.some((part) => part.type === 'wildcard')) {
        let tail = segments.slice(index)
        let source = tail.map((parts) => segmentSource(parts, pattern, tail.length > 1)).join('/')
        let dynamic = this.#dynamicChild(node, 'tail', source, tail.flatMap(rankParts))
        return (dynamic as TailDynamic<Data>).leaf
      }
      let [only] = segment
      if (segment.length <= 1 && only?.type !== 'param') {
        let text = encodePathText(
          decodePatternText(only?.type === 'text' ? only.value : '', pattern),
        )
        node = staticChild(node, this.#ignoreCase ? text.toLowerCase() : text)
        continue
      }
      let source = segment.length === 1 ? undefined : segmentSource(segment, pattern, false)
      let dynamic = this.#dynamicChild(node, 'segment', source, rankParts(segment))
      node = (dynamic as SegmentDynamic<Data>).node
    }
    node.leaf ??= new Map()
    return node.leaf
  }

  #dynamicChild(
    node: Node<Data>,
    kind: Dynamic<Data>['kind'],
    source: string | undefined,
    rank: number[],
  ): Dynamic<Data> {
    let key = `${kind}:${source ?? ''}`
    let existing = node.dynamic.find((dynamic) => dynamic.key === key)
    if (existing) return existing
    let flags = this.#ignoreCase ? 'i' : ''
    let regex = source === undefined ? undefined : new RegExp(`^${source}$`, flags)
    let dynamic: Dynamic<Data> =
      kind === 'tail'
        ? { kind, key, rank, regex: regex as RegExp, leaf: new Map() }
        : { kind, key, rank, regex, node: createNode() }
    node.dynamic.push(dynamic)
    node.dynamic.sort((a, b) => compareRanks(b.rank, a.rank))
    return dynamic
  }
}

/** The child of `node` for the static segment `key`, added when missing. */
function staticChild<Data>(node: Node<Data>, key: string): Node<Data> {
  node.statics ??= []
  let child =
    node.staticIndex !== undefined
      ? node.staticIndex.get(key)
      : node.statics.find((entry) => entry.key === key)?.node
  if (child !== undefined) return child
  child = createNode()
  node.statics.push({ key, node: child })
  // Kept up to date once made, rather than rebuilt: registering n siblings stays linear.
  if (node.staticIndex !== undefined) node.staticIndex.set(key, child)
  else if (node.statics.length > maxScannedStatics) {
    node.staticIndex = new Map(node.statics.map((entry) => [entry.key, entry.node]))
  }
  return child
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

function buildParams<Data>(
  registration: Registration<Data>,
  captures: string[],
): Record<string, string | undefined> {
  let params: Record<string, string | undefined> = {}
  for (let name of registration.missingNames) params[name] = undefined
  let names = registration.captureNames
  for (let index = 0; index < names.length; index++) {
    let value = captures[index] as string
    params[names[index] as string] = value.includes('%') ? decodeURIComponent(value) : value
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

function rankParts(parts: Part[]): number[] {
  return parts.flatMap((part) => {
    if (part.type === 'param') return [paramRank]
    if (part.type === 'wildcard') return [wildcardRank]
    return Array.from(part.value, () => textRank)
  })
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    let difference = (a[index] as number) - (b[index] as number)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}
