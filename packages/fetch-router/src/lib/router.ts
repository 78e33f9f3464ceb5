import {
  type Action,
  type Context,
  type Controller,
  checkMiddleware,
  isRecord,
  type NormalizedAction,
  normalizeAction,
  type RequestHandler,
  type RouteTarget,
} from './controller.ts'
import { HttpError } from './http-error.ts'
import { isResponse } from './is-response.ts'
import { Matcher } from './matcher.ts'
import {
  type AnyMiddleware,
  isPromiseLike,
  type Middleware,
  type ProvidedBy,
  runMiddleware,
  settleStep,
} from './middleware.ts'
import type { AnyParams } from './request-context.ts'
import { RequestContext, routingPathname } from './request-context.ts'
import { type RequestMethod, RequestMethods } from './request-methods.ts'
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
   * route, or an action for a nested route map.
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

/** A router: registers routes and answers requests with {@link Router.fetch}. */
export interface Router<Extra extends object = {}> extends RouteBuilder<Extra> {
  /**
   * Answers a request. Takes what `fetch()` takes. Never throws and never rejects for bad input:
   * an unparsable URL or request init gets a 400, malformed percent-encoding in the path a 400, a
   * path longer than `maxPathLength` a 414, an uncaught error a 500 without details. Rejects only
   * with the abort reason when the request's signal aborts: at once, even while a handler is still
   * working, and then no further middleware or handler starts. Safe to pass detached:
   * `serve({ fetch: router.fetch })`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>
}

/** Options for {@link createRouter}. */
export interface RouterOptions<List extends readonly AnyMiddleware[] = readonly AnyMiddleware[]> {
  /**
   * Middleware for every request, matched or not, in order. It runs before route matching, so it
   * may change `context.method` or `context.url`. What it provides (see {@link Middleware}) is
   * typed on every handler's context.
   */
  middleware?: readonly [...List]
  /** Answers requests no route matches. Default: `404 Not Found` with a plain-text body. */
  defaultHandler?: RequestHandler<Context<AnyParams, ProvidedBy<List>>>
  /**
   * Called with an error that escaped every middleware. Return a response to send it; return
   * nothing to send the default: a plain `500 Internal Server Error`, or the error's own response
   * for an {@link HttpError} of status 500 and above. A 4xx `HttpError` is an answer, not a
   * failure: it skips this hook, and so does any error of an aborted request (`router.fetch`
   * rejects with the abort reason). Default: logs the error with `console.error`. The error's message
   * and stack are never sent to the client unless this hook sends them.
   */
  onError?: (
    error: unknown,
    context: RequestContext,
  ) => Response | undefined | Promise<Response | undefined>
  /**
   * How a trailing `/` is treated. `'exact'` (default, like Remix): `/about/` and `/about` are
   * different URLs. `'ignore'`: both match routes registered with or without it. `'redirect'`: a
   * URL that matches nothing but would match with the slash added or removed is answered with a
   * `308` redirect there.
   */
  trailingSlash?: 'exact' | 'ignore' | 'redirect'
  /** Match static pattern text regardless of case; params keep the case sent. Default `false`. */
  ignoreCase?: boolean
  /**
   * The longest pathname routed, in characters of its percent-encoded form; longer ones get
   * `414 URI Too Long`. Default `8192`.
   */
  maxPathLength?: number
}

interface RouteEntry extends NormalizedAction {
  method: RequestMethod | 'ANY'
  pattern: string
}

function defaultNotFound(): Response {
  return new Response('Not Found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

function logError(error: unknown): undefined {
  console.error(error)
}

/**
 * Creates a router.
 *
 * @example
 * const router = createRouter()
 * router.get('/books/:id', ({ params }) => json({ id: params.id }))
 * serve({ fetch: router.fetch })
 * @throws {TypeError} when an option has the wrong type.
 */
export function createRouter<const List extends readonly AnyMiddleware[]>(
  options: RouterOptions<List> = {},
): Router<ProvidedBy<List>> {
  let routerMiddleware = checkMiddleware(options.middleware, 'createRouter')
  let defaultHandler = (options.defaultHandler ?? defaultNotFound) as RequestHandler<RequestContext>
  let onError = options.onError ?? logError
  let trailingSlash = options.trailingSlash ?? 'exact'
  let maxPathLength = options.maxPathLength ?? 8192
  if (!['exact', 'ignore', 'redirect'].includes(trailingSlash)) {
    throw new TypeError(
      `trailingSlash must be 'exact', 'ignore' or 'redirect', got ${trailingSlash}`,
    )
  }
  let matcher = new Matcher<RouteEntry>({
    ignoreCase: options.ignoreCase ?? false,
    ignoreTrailingSlash: trailingSlash === 'ignore',
  })

  /** Runs a matcher lookup, turning malformed percent-encoding into a 400. */
  function lookup<Result>(search: () => Result): Result {
    try {
      return search()
    } catch (error) {
      throw malformedPath(error)
    }
  }

  // One list per method, made once: a lookup allocates nothing for it.
  let methodLists = new Map<string, readonly string[]>([['HEAD', ['HEAD', 'GET']]])
  function acceptedMethods(method: string): readonly string[] {
    let list = methodLists.get(method)
    if (list === undefined) {
      list = [method]
      if (methodLists.size < 64) methodLists.set(method, list)
    }
    return list
  }

  function checked(entry: RouteEntry, response: unknown): Response {
    if (!isResponse(response)) {
      throw new TypeError(`The handler of ${entry.method} ${entry.pattern} returned no Response`)
    }
    return response
  }

  // Not async: a handler that answers synchronously costs no extra promise.
  function runRoute(entry: RouteEntry, context: RequestContext): Response | Promise<Response> {
    if (entry.middleware.length > 0) {
      return runMiddleware(entry.middleware, context, entry.handler).then((response) =>
        checked(entry, response),
      )
    }
    context.request.signal.throwIfAborted()
    let response: unknown = settleStep(context, entry.handler(context))
    // settleStep hands back any thenable as a promise of this realm.
    return response instanceof Promise
      ? response.then((resolved) => checked(entry, resolved))
      : checked(entry, response)
  }

  function dispatch(context: RequestContext): Response | Promise<Response> {
    let pathname = routingPathname(context)
    if (pathname.length > maxPathLength) throw new HttpError(414)
    let method = context.method
    // HEAD prefers a HEAD route, then the GET route of the same pattern (answered without body).
    let match: ReturnType<typeof matcher.find>
    try {
      match = matcher.find(pathname, acceptedMethods(method))
    } catch (error) {
      throw malformedPath(error)
    }
    if (match !== undefined) {
      context.params = match.params
      let response = runRoute(match.data, context)
      if (method !== 'HEAD') return response
      return Promise.resolve(response).then(withoutBody)
    }
    let methods = lookup(() => matcher.methodsFor(pathname))
    if (methods.size === 0) {
      let slashed = trailingSlash === 'redirect' ? toggleTrailingSlash(pathname) : undefined
      if (slashed !== undefined && lookup(() => matcher.methodsFor(slashed)).size > 0) {
        // Set the pathname on a copy of the URL: joined as text, "//host/x" would leave the site.
        let location = new URL(context.url)
        location.pathname = slashed
        return new Response(null, { status: 308, headers: { Location: location.href } })
      }
      context.request.signal.throwIfAborted()
      return settleStep(context, defaultHandler(context))
    }
    let allow = allowHeader(methods)
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { Allow: allow } })
    return new Response('Method Not Allowed', {
      status: 405,
      headers: { Allow: allow, 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }

  async function handleError(error: unknown, context: RequestContext): Promise<Response> {
    // An aborted request has no one to answer, and no hook of ours runs for it.
    let { signal } = context.request
    if (signal.aborted) throw signal.reason
    // A 4xx HttpError is an answer; a 5xx one is a failure worth reporting.
    if (error instanceof HttpError && error.status < 500) return error.toResponse()
    try {
      let response = await onError(error, context)
      if (isResponse(response)) return response
    } catch (hookError) {
      console.error(hookError)
    }
    if (error instanceof HttpError) return error.toResponse()
    return new Response('Internal Server Error', {
      status: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }

  function register(method: RequestMethod | 'ANY', pattern: string, action: NormalizedAction) {
    matcher.add(method, pattern, { ...action, method, pattern })
  }

  function mapController(prefix: string, routes: RouteMap, controller: unknown): void {
    if (!isRecord(controller) || !isRecord(controller.actions)) {
      throw new TypeError(
        'router.map(routeMap, controller): expected a controller with an `actions` object',
      )
    }
    let actions = controller.actions
    let shared = checkMiddleware(controller.middleware, 'router.map controller')
    for (let name of Object.keys(actions)) {
      if (!(name in routes))
        throw new TypeError(
          `Unknown action "${name}" in controller: the route map has no route by that name`,
        )
      if (!(routes[name] instanceof Route)) {
        throw new TypeError(
          `Controller action "${name}" names a nested route map; map it with its own router.map() call`,
        )
      }
    }
    for (let [name, target] of Object.entries(routes)) {
      if (!(target instanceof Route)) continue
      if (!Object.hasOwn(actions, name))
        throw new TypeError(`Missing action "${name}" in controller`)
      let pattern = joinPatterns(prefix, target.pattern)
      let action = normalizeAction(actions[name], `${target.method} ${pattern}`)
      register(target.method, pattern, { ...action, middleware: [...shared, ...action.middleware] })
    }
  }

  function createBuilder(prefix: string): RouteBuilder<object, string> {
    let add = (method: RequestMethod | 'ANY', target: unknown, action: unknown) => {
      let pattern = joinPatterns(prefix, patternOf(target))
      register(method, pattern, normalizeAction(action, `${method} ${pattern}`))
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
        else if (isRecord(target)) mapController(prefix, target as RouteMap, handler)
        else throw new TypeError('router.map: expected a pattern, a Route or a route map')
      },
      mount: (mountPrefix: string, installer: (builder: RouteBuilder<object, string>) => void) => {
        if (typeof installer !== 'function')
          throw new TypeError('router.mount: the installer must be a function')
        installer(createBuilder(joinPatterns(prefix, mountPrefix)))
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

  let router: Router<object> = {
    ...createBuilder('/'),
    // Not async: a synchronous answer costs one resolved promise, not an async frame and a hop.
    fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
      let request: Request
      try {
        request = input instanceof Request && init === undefined ? input : new Request(input, init)
      } catch {
        return Promise.resolve(
          new Response('Bad Request: invalid URL or request options', {
            status: 400,
            headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          }),
        )
      }
      let context = new RequestContext(request)
      context.router = router
      try {
        let answer =
          routerMiddleware.length === 0
            ? dispatch(context)
            : runMiddleware(routerMiddleware, context, dispatch)
        // Any thenable (a promise of another realm too), so that its rejection reaches onError.
        return isPromiseLike(answer)
          ? Promise.resolve(answer).catch((error: unknown) => handleError(error, context))
          : Promise.resolve(answer)
      } catch (error) {
        return handleError(error, context)
      }
    },
  }
  return router as Router<ProvidedBy<List>>
}

function patternOf(target: unknown): string {
  if (typeof target === 'string') return target
  if (target instanceof Route) return target.pattern
  throw new TypeError('Expected a route pattern string or a Route')
}

/** A 400 for the matcher's URIError (malformed percent-encoding); any other error as it is. */
function malformedPath(error: unknown): unknown {
  return error instanceof URIError
    ? new HttpError(400, 'Bad Request: malformed percent-encoding in the URL path')
    : error
}

function withoutBody(response: Response): Response {
  void response.body?.cancel()
  return new Response(null, response)
}

function toggleTrailingSlash(pathname: string): string | undefined {
  if (pathname === '/') return undefined
  return pathname.endsWith('/') ? pathname.slice(0, -1) : `${pathname}/`
}

function allowHeader(methods: Set<string>): string {
  let allowed = new Set(methods)
  if (allowed.has('GET')) allowed.add('HEAD')
  allowed.add('OPTIONS')
  return RequestMethods.filter((method) => allowed.has(method)).join(', ')
}
