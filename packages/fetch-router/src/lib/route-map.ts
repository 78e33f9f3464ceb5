import { createHref, type HrefArgs } from './href.ts'
import type { RequestMethod } from './request-methods.ts'
import { joinPatterns, parsePattern } from './route-pattern.ts'

/**
 * A route: a request method (or `'ANY'`) and a pathname pattern. Map it to a handler with
 * `router.map(route, handler)`, or build links to it with `href`.
 */
export class Route<
  Method extends RequestMethod | 'ANY' = RequestMethod | 'ANY',
  Pattern extends string = string,
> {
  /** The method this route answers, or `'ANY'` for every method. */
  readonly method: Method
  /** The pathname pattern, always starting with `/`, e.g. `/books/:id`. */
  readonly pattern: Pattern

  /**
   * @throws {TypeError} when `pattern` is malformed.
   */
  constructor(method: Method, pattern: Pattern) {
    parsePattern(pattern)
    this.method = method
    this.pattern = pattern
  }

  /**
   * Builds a link to this route: `routes.books.show.href({ id: 7 }, { searchParams: { tab: 'x' } })`
   * gives `/books/7?tab=x`. Params are percent-encoded. With `{ baseURL }` (the absolute URL of
   * the page the link goes into), a path-relative reference instead, as in Remix: `../books/7`.
   *
   * @throws {TypeError} when a required param is missing, or `baseURL` is not an absolute URL.
   */
  href(...args: HrefArgs<Pattern>): string {
    return createHref(this.pattern, ...args)
  }
}

/** A tree of named routes, as `route()` and the resource helpers build it. */
export interface RouteMap {
  [name: string]: Route | RouteMap
}

/** A route definition: a pattern (any method), `{ method, pattern }`, or a `Route`. */
export type RouteDef = string | { method?: RequestMethod | 'ANY'; pattern: string } | Route

/** Definitions for `route()`: names mapped to route definitions or nested definitions. */
export interface RouteDefs {
  [name: string]: RouteDef | RouteDefs
}

type TrimStart<Pattern extends string> = Pattern extends `/${infer Rest}` ? Rest : Pattern
/** Drops a trailing `/` unless a `\` escapes it: an escaped slash is text, not a separator. */
type TrimEnd<Pattern extends string> = Pattern extends `${infer Rest}/`
  ? EndsInEscape<Rest> extends true
    ? Pattern
    : Rest
  : Pattern
/** Whether `Text` ends in an odd number of `\`, which escapes the character after it. */
type EndsInEscape<Text extends string> = Text extends `${infer Before}\\\\`
  ? EndsInEscape<Before>
  : Text extends `${string}\\`
    ? true
    : false

/**
 * The type of `joinPatterns(prefix, child)`: one `/` between, a leading `/`, no trailing `/` on
 * the prefix (an escaped one, `\/`, is text and stays). Checked against the runtime over one
 * table of cases (`route-pattern.test.ts`).
 */
export type JoinPatterns<Prefix extends string, Child extends string> =
  TrimEnd<TrimStart<Prefix>> extends infer Head extends string
    ? TrimStart<Child> extends ''
      ? Head extends ''
        ? '/'
        : `/${Head}`
      : Head extends ''
        ? `/${TrimStart<Child>}`
        : `/${Head}/${TrimStart<Child>}`
    : never

/** The route map type `route(base, defs)` returns. */
export type BuildRouteMap<Base extends string, Defs extends RouteDefs> = {
  -readonly [Name in keyof Defs]: Defs[Name] extends Route<infer Method, infer Pattern>
    ? Route<Method, JoinPatterns<Base, Pattern>>
    : Defs[Name] extends string
      ? Route<'ANY', JoinPatterns<Base, Defs[Name]>>
      : Defs[Name] extends { pattern: infer Pattern extends string }
        ? Route<
            Defs[Name] extends { method: infer Method extends RequestMethod | 'ANY' }
              ? Method
              : 'ANY',
            JoinPatterns<Base, Pattern>
          >
        : Defs[Name] extends RouteDefs
          ? BuildRouteMap<Base, Defs[Name]>
          : never
}

/**
 * Builds a route map from named definitions, optionally under a base pattern. Names nest, and
 * every leaf becomes a {@link Route} whose pattern joins the base and its own.
 *
 * @example
 * const routes = route({
 *   home: '/',
 *   books: { index: '/books', show: { method: 'GET', pattern: '/books/:id' } },
 * })
 * routes.books.show.href({ id: 1 }) // '/books/1'
 * @throws {TypeError} when a pattern is malformed or a definition is neither a pattern nor a map.
 */
export function route<const Defs extends RouteDefs>(defs: Defs): BuildRouteMap<'/', Defs>
export function route<Base extends string, const Defs extends RouteDefs>(
  base: Base,
  defs: Defs,
): BuildRouteMap<Base, Defs>
export function route(baseOrDefs: string | RouteDefs, defs?: RouteDefs): RouteMap {
  return typeof baseOrDefs === 'string'
    ? buildRouteMap(baseOrDefs, defs ?? {})
    : buildRouteMap('/', baseOrDefs)
}

function buildRouteMap(base: string, defs: RouteDefs): RouteMap {
  let routes: RouteMap = {}
  for (let [name, def] of Object.entries(defs)) {
    if (def instanceof Route) routes[name] = new Route(def.method, joinPatterns(base, def.pattern))
    else if (typeof def === 'string') routes[name] = new Route('ANY', joinPatterns(base, def))
    else if (typeof def === 'object' && def !== null && typeof def.pattern === 'string') {
      let method = (def.method ?? 'ANY') as RequestMethod | 'ANY'
      routes[name] = new Route(method, joinPatterns(base, def.pattern))
    } else if (typeof def === 'object' && def !== null) {
      routes[name] = buildRouteMap(base, def as RouteDefs)
    } else {
      throw new TypeError(
        `Route definition "${name}" must be a pattern, { method, pattern } or a map`,
      )
    }
  }
  return routes
}
