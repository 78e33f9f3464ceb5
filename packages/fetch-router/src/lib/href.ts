import type { Params } from './params.ts'
import { decodePatternText, encodePathText } from './path-encoding.ts'
import { type PatternToken, parsePattern } from './route-pattern.ts'

/** A param value accepted by `href`: numbers are written in base 10. */
export type HrefParamValue = string | number

/** Search params appended by `href`: a `URLSearchParams`, or an object whose arrays repeat a key. */
export type HrefSearchParams =
  | URLSearchParams
  | Record<string, HrefParamValue | null | undefined | (HrefParamValue | null | undefined)[]>

/** Options for `href`. */
export interface HrefOptions {
  /** Appended as the query string; `null` and `undefined` values are left out. */
  searchParams?: HrefSearchParams
  /**
   * The absolute URL of the page the link is written into. When given, `href` returns a
   * path-relative reference from it, as Remix does: from `https://shop.test/admin/settings`, the
   * pathname `/admin/users/7` is written `users/7` and `/books` is written `../books`. Resolved
   * against that URL it gives back the same pathname and query. A reference that would start with
   * `/` or `\`, or whose first segment holds a `:` (it would read as a scheme), is prefixed with
   * `./`; one that would be empty is `./`. Default: none, the href is the absolute pathname.
   */
  baseURL?: string | URL
}

type HrefParams<Pattern extends string> = {
  [Key in keyof Params<Pattern> as undefined extends Params<Pattern>[Key]
    ? never
    : Key]: HrefParamValue
} & {
  [Key in keyof Params<Pattern> as undefined extends Params<Pattern>[Key]
    ? Key
    : never]?: HrefParamValue | null
}

/**
 * The arguments of `href` for a pattern: params are required when the pattern has a required
 * param, optional otherwise.
 */
export type HrefArgs<Pattern extends string> =
  {} extends HrefParams<Pattern>
    ? [params?: HrefParams<Pattern> | null, options?: HrefOptions]
    : [params: HrefParams<Pattern>, options?: HrefOptions]

/**
 * Builds a pathname from a pattern and params: params are percent-encoded (a wildcard keeps its
 * `/`; a param that shares its segment with text or another param has its `.` written `%2E`, so
 * the router matches the link back to the same params), an optional group appears only when every
 * param in it is given, and a group without params is left out.
 *
 * @throws {TypeError} when a required param is missing or empty, the pattern has an unnamed
 * wildcard outside an optional group (there is no value to put there), or a value has an empty,
 * `.` or `..` segment (it could lead out of the route, or to another host), or `options.baseURL` is not
 * an absolute URL that relative references resolve against.
 */
export function createHref<Pattern extends string>(
  pattern: Pattern,
  ...[params, options]: HrefArgs<Pattern>
): string {
  let values = (params ?? {}) as Record<string, HrefParamValue | null | undefined>
  let path = joinChunks(writeTokens(pattern, parsePattern(pattern), values, true) as Chunk[])
  let href = path.startsWith('/') ? path : `/${path}`
  let search = writeSearch(options?.searchParams)
  let query = search === '' ? '' : `?${search}`
  if (options?.baseURL === undefined) return href + query
  return relativeHref(href, options.baseURL) + query
}

/**
 * The path-relative reference to `pathname` from the page at `baseURL`.
 *
 * @throws {TypeError} when `baseURL` is not an absolute URL that relative references resolve
 * against (`/admin`, `mailto:a@b.test`).
 */
function relativeHref(pathname: string, baseURL: string | URL): string {
  let base = new URL(baseURL)
  // A base like `mailto:` has no path for a relative reference to climb: this throws for it.
  new URL('./', base)
  let from = segmentsOf(base.pathname)
  // The page's own name is not a directory to leave.
  if (!base.pathname.endsWith('/')) from.pop()
  let to = segmentsOf(pathname)
  let file = pathname.endsWith('/') ? undefined : to.pop()
  let shared = 0
  while (shared < from.length && shared < to.length && from[shared] === to[shared]) shared++
  let parts = [...from.slice(shared).map(() => '..'), ...to.slice(shared)]
  if (file !== undefined) parts.push(file)
  let reference = parts.join('/')
  if (file === undefined) reference = reference === '' ? './' : `${reference}/`
  if (reference === '') return './'
  // Read as a network path (`//host`) or a scheme (`a:b`) otherwise.
  return /^[\\/]|^[^/]*:/.test(reference) ? `./${reference}` : reference
}

/** The segments of a pathname between its slashes: `/a/b/` gives `a`, `b`; `/` gives none. */
function segmentsOf(pathname: string): string[] {
  let segments = pathname.slice(1).split('/')
  if (pathname.endsWith('/')) segments.pop()
  return segments
}

/** A piece of an href being written: encoded text, or a param's or wildcard's raw value. */
type Chunk = { kind: 'text'; text: string } | { kind: 'param' | 'wildcard'; value: string }

/** The chunks of `tokens` for `values`; `undefined` for an optional group that is left out. */
function writeTokens(
  pattern: string,
  tokens: PatternToken[],
  values: Record<string, HrefParamValue | null | undefined>,
  required: boolean,
): Chunk[] | undefined {
  let chunks: Chunk[] = []
  let wroteParam = false
  for (let token of tokens) {
    if (token.type === 'text') {
      let text = token.value
        .split('/')
        .map((piece) => encodePathText(decodePatternText(piece, pattern)))
        .join('/')
      chunks.push({ kind: 'text', text })
      continue
    }
    if (token.type === 'optional') {
      let group = writeTokens(pattern, token.tokens, values, false)
      if (group !== undefined) {
        wroteParam = true
        chunks.push(...group)
      }
      continue
    }
    let value = token.name === undefined ? undefined : values[token.name]
    if (value === undefined || value === null || value === '') {
      if (!required) return undefined
      let what = token.name === undefined ? 'an unnamed wildcard' : `param "${token.name}"`
      throw new TypeError(`Cannot build an href for "${pattern}": missing ${what}`)
    }
    let text = String(value)
    let pieces = token.type === 'wildcard' ? text.split('/') : [text]
    if (pieces.some((piece) => piece === '' || piece === '.' || piece === '..')) {
      // Empty, "." and ".." segments would let a value climb out of the route or name another host.
      throw new TypeError(
        `Cannot build an href for "${pattern}": ${token.name ?? 'the wildcard'} ${JSON.stringify(text)} has an empty, "." or ".." segment`,
      )
    }
    wroteParam = true
    chunks.push({ kind: token.type, value: text })
  }
  return required || wroteParam ? chunks : undefined
}

/**
 * The chunks as one encoded path. A param that shares its segment with text or another param
 * (`:name.:ext`, `v:major`) has its `.` written `%2E`: the router stops such a param at `.`, and
 * matches `%2E` as data, so the link routes back to the same params. A param that fills its
 * segment keeps its dots (`/users/john.doe`), and so does a wildcard: it takes everything up to the
 * last `.` the pattern puts after it.
 */
function joinChunks(chunks: Chunk[]): string {
  let out = ''
  for (let [index, chunk] of chunks.entries()) {
    if (chunk.kind === 'text') {
      out += chunk.text
    } else if (chunk.kind === 'wildcard') {
      out += chunk.value.split('/').map(encodePathText).join('/')
    } else {
      let next = chunks[index + 1]
      let fillsSegment =
        (out === '' || out.endsWith('/')) &&
        (next === undefined || (next.kind === 'text' && next.text.startsWith('/')))
      let encoded = encodePathText(chunk.value)
      out += fillsSegment ? encoded : encoded.replaceAll('.', '%2E')
    }
  }
  return out
}

function writeSearch(searchParams: HrefSearchParams | undefined): string {
  if (searchParams === undefined) return ''
  if (searchParams instanceof URLSearchParams) return searchParams.toString()
  let search = new URLSearchParams()
  for (let [key, value] of Object.entries(searchParams)) {
    for (let item of Array.isArray(value) ? value : [value]) {
      if (item !== null && item !== undefined) search.append(key, String(item))
    }
  }
  return search.toString()
}
