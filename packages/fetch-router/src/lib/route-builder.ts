import {
  type Action,
  type Controller,
  isRecord,
  normalizeAction,
  type RouteTarget,
} from './controller.ts'
import { controllerRoutes } from './controller-routes.ts'
import type { AnyMiddleware } from './middleware.ts'
import { type RequestMethod, RequestMethods } from './request-methods.ts'
import type { RegisterRoute } from './route-entry.ts'
import { type JoinPatterns, Route, type RouteMap } from './route-map.ts'
import { joinPatterns } from './route-pattern.ts'

/** A route target for a verb method: a pattern, or a route of that method or `'ANY'`. */
type VerbTarget<Method extends RequestMethod, Pattern extends string> =
  | Pattern
  | Route<Method | 'ANY', Pattern>

type VerbMethod<Method extends RequestMethod, Extra extends object, Prefix extends string> = <
  Pattern extends string,
  const List extends readonly AnyMiddleware[],
>(
  target: VerbTarget<Method, Pattern>,
  action: Action<JoinPatterns<Prefix, Pattern>, Extra, List>,
) => void

/**
 * Registers routes. The router is one; `mount` hands installers a builder whose patterns are
 * prefixed.
 */
export interface RouteBuilder<Extra extends object = {}, Prefix extends string = '/'> {
  /**
   * Registers `action` for `method` (or `'ANY'`, every method) on `target`.
   *
   * @throws {TypeError} when the pattern is malformed, the action is not a handler or
   * `{ handler, middleware? }`, or a route for the same method matches exactly the same URLs.
   * Nothing is registered then, not even the variants of the pattern that do not clash.
   */
  route<
    Method extends RequestMethod | 'ANY',
    Pattern extends string,
    const List extends readonly AnyMiddleware[],
  >(
    method: Method,
    target: Pattern | Route<Method | 'ANY', Pattern>,
    action: Action<JoinPatterns<Prefix, Pattern>, Extra, List>,
  ): void
  /**
   * Maps a route (or pattern: any method) to an action, or a route map to a controller whose
   * `actions` has one entry per route of the map.
   *
   * @throws {TypeError} when a controller misses an action for a route, has an action for no
   * route, or an action for a nested route map, or when one of its routes clashes with a route
   * registered before or with another of its routes. A controller registers all its routes or none.
   */
  map<Target extends RouteTarget | RouteMap, const List extends readonly AnyMiddleware[]>(
    target: Target,
    handler: Target extends RouteTarget
      ? Action<PrefixedTarget<Prefix, Target>, Extra, List>
      : Target extends RouteMap
        ? Controller<PrefixedRoutes<Prefix, Target>, Extra, List>
        : never,
  ): void
  /**
   * Calls `installer` with a builder whose patterns are all prefixed with `prefix`; params of the
   * prefix are typed in every handler it registers.
   */
  mount<Pattern extends string>(
    prefix: Pattern,
    installer: (builder: RouteBuilder<Extra, JoinPatterns<Prefix, Pattern>>) => void,
  ): void
  /** Registers a `GET` route; `HEAD` requests are answered by it too, without the body. */
  get: VerbMethod<'GET', Extra, Prefix>
  /** Registers a `HEAD` route, which wins over the automatic answer from the `GET` route. */
  head: VerbMethod<'HEAD', Extra, Prefix>
  /** Registers a `POST` route. */
  post: VerbMethod<'POST', Extra, Prefix>
  /** Registers a `PUT` route. */
  put: VerbMethod<'PUT', Extra, Prefix>
  /** Registers a `PATCH` route. */
  patch: VerbMethod<'PATCH', Extra, Prefix>
  /** Registers a `DELETE` route. */
  delete: VerbMethod<'DELETE', Extra, Prefix>
  /** Registers an `OPTIONS` route, which wins over the automatic `204` with `Allow`. */
  options: VerbMethod<'OPTIONS', Extra, Prefix>
}

type PrefixedTarget<Prefix extends string, Target extends RouteTarget> = Target extends string
  ? JoinPatterns<Prefix, Target>
  : Target extends Route<infer Method, infer Pattern>
    ? Route<Method, JoinPatterns<Prefix, Pattern>>
    : never

type PrefixedRoutes<Prefix extends string, Routes extends RouteMap> = Prefix extends '/'
  ? Routes
  : {
      [Name in keyof Routes]: Routes[Name] extends Route<infer Method, infer Pattern>
        ? Route<Method, JoinPatterns<Prefix, Pattern>>
        : Routes[Name] extends RouteMap
          ? PrefixedRoutes<Prefix, Routes[Name]>
          : never
    }

/**
 * A builder whose patterns are prefixed with `prefix` and whose routes go to `register`. Its
 * methods are plain functions: safe to pass detached.
 */
export function createRouteBuilder(
  prefix: string,
  register: RegisterRoute,
): RouteBuilder<object, string> {
  let add = (method: RequestMethod | 'ANY', target: unknown, action: unknown) => {
    let pattern = joinPatterns(prefix, patternOf(target))
    register([{ ...normalizeAction(action, `${method} ${pattern}`), method, pattern }])
  }
  let verb = (method: RequestMethod) => (target: unknown, action: unknown) =>
    add(method, target, action)
  return {
    route: (method: RequestMethod | 'ANY', target: unknown, action: unknown) => {
      if (method !== 'ANY' && !(RequestMethods as readonly string[]).includes(method)) {
        throw new TypeError(
          `Unsupported request method "${method}"; use one of ${RequestMethods.join(', ')} or ANY`,
        )
      }
      add(method, target, action)
    },
    map: (target: unknown, handler: unknown) => {
      if (typeof target === 'string') add('ANY', target, handler)
      else if (target instanceof Route) add(target.method, target, handler)
      else if (isRecord(target)) {
        register(controllerRoutes(prefix, target as RouteMap, handler))
      } else throw new TypeError('router.map: expected a pattern, a Route or a route map')
    },
    mount: (mountPrefix: string, installer: (builder: RouteBuilder<object, string>) => void) => {
      if (typeof installer !== 'function') {
        throw new TypeError('router.mount: the installer must be a function')
      }
      installer(createRouteBuilder(joinPatterns(prefix, mountPrefix), register))
    },
    get: verb('GET'),
    head: verb('HEAD'),
    post: verb('POST'),
    put: verb('PUT'),
    patch: verb('PATCH'),
    delete: verb('DELETE'),
    options: verb('OPTIONS'),
  } as unknown as RouteBuilder<object, string>
}

function patternOf(target: unknown): string {
  if (typeof target === 'string') return target
  if (target instanceof Route) return target.pattern
  throw new TypeError('Expected a route pattern string or a Route')
}
