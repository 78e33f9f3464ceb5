import type { ContextRouter } from './context-router.ts'
import type { RequestHandler } from './controller.ts'
import { HttpError } from './http-error.ts'
import { isResponse } from './is-response.ts'
import type { Match, Matcher } from './matcher.ts'
import { isPromiseLike, type Middleware, runMiddleware, settleStep } from './middleware.ts'
import { RequestContext, requestAbort, routingPathname, throwIfAborted } from './request-context.ts'
import type { RouteEntry } from './route-entry.ts'
import type { RouterSettings } from './router-options.ts'
import {
  allowedMethods,
  methodNotAllowed,
  plainText,
  redirectToPathname,
  toggleTrailingSlash,
  withoutBody,
} from './router-responses.ts'

/**
 * Answers requests for one router: builds the request context, runs the router middleware around
 * route dispatch, and turns what escapes into a response. Each private method does one job; the
 * path of a matched request with a synchronous handler makes no promise but the one `fetch`
 * returns.
 */
export class RequestDispatcher {
  readonly #router: ContextRouter
  readonly #matcher: Matcher<RouteEntry>
  readonly #middleware: readonly Middleware<object>[]
  readonly #defaultHandler: RequestHandler<RequestContext>
  readonly #onError: RouterSettings['onError']
  readonly #redirectSlash: boolean
  readonly #maxPathLength: number
  // One list per method, made once: a lookup allocates nothing for it.
  readonly #methodLists = new Map<string, readonly string[]>([['HEAD', ['HEAD', 'GET']]])

  /**
   * @param router What `context.router` is for every request.
   * @param matcher The routes; the dispatcher only reads it, so routes added later are served.
   */
  constructor(router: ContextRouter, matcher: Matcher<RouteEntry>, settings: RouterSettings) {
    this.#router = router
    this.#matcher = matcher
    this.#middleware = settings.middleware
    this.#defaultHandler = settings.defaultHandler
    this.#onError = settings.onError
    this.#redirectSlash = settings.trailingSlash === 'redirect'
    this.#maxPathLength = settings.maxPathLength
  }

  /**
   * Answers a request, as `Router.fetch` documents. Bound: safe to pass detached. Not async: a
   * synchronous answer costs one resolved promise, not an async frame and a hop. Never throws: a
   * `Request` whose own getters throw makes the promise reject with that error.
   */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let context: RequestContext
    try {
      let request = toRequest(input, init)
      if (request === undefined) return Promise.resolve(badRequest(init))
      context = new RequestContext(request)
    } catch (error) {
      return Promise.reject(error)
    }
    context.router = this.#router
    // Read before middleware may change it: the client asked for HEAD, so no answer has a body.
    let head = context.method === 'HEAD'
    let answer: Response | Promise<Response>
    try {
      let result =
        this.#middleware.length === 0
          ? this.#dispatch(context)
          : runMiddleware(this.#middleware, context, this.#dispatchStep)
      // Any thenable (a promise of another realm too), so that its rejection reaches onError.
      answer = isPromiseLike(result)
        ? Promise.resolve(result).catch((error: unknown) => this.#handleError(error, context))
        : result
    } catch (error) {
      answer = this.#handleError(error, context)
    }
    return head ? Promise.resolve(answer).then(withoutBody) : Promise.resolve(answer)
  }

  /** Route dispatch as the last step of the router middleware. */
  readonly #dispatchStep = (context: RequestContext): Response | Promise<Response> =>
    this.#dispatch(context)

  /** Answers with the route that matches, or with what the router says when none does. */
  #dispatch(context: RequestContext): Response | Promise<Response> {
    let pathname = routingPathname(context)
    if (pathname.length > this.#maxPathLength) throw new HttpError(414)
    let method = context.method
    let found = this.#lookup(pathname, method)
    if (found instanceof Set) return this.#answerUnmatched(context, pathname, found)
    context.params = found.params
    return runRoute(found.data, context)
  }

  /**
   * The route for `method` on `pathname`, or, when there is none, the methods of the routes the
   * path has. `HEAD` prefers a `HEAD` route, then the `GET` route of the same pattern.
   *
   * @throws {HttpError} 400 when the path holds malformed percent-encoding.
   */
  #lookup(pathname: string, method: string): Match<RouteEntry> | Set<string> {
    try {
      return (
        this.#matcher.find(pathname, this.#acceptedMethods(method)) ??
        this.#matcher.methodsFor(pathname)
      )
    } catch (error) {
      if (!(error instanceof URIError)) throw error
      throw new HttpError(400, 'Bad Request: malformed percent-encoding in the URL path')
    }
  }

  #acceptedMethods(method: string): readonly string[] {
    if (method === 'GET') return getOnly
    let list = this.#methodLists.get(method)
    if (list === undefined) {
      list = [method]
      // Bounded: methods are chosen by the client.
      if (this.#methodLists.size < 64) this.#methodLists.set(method, list)
    }
    return list
  }

  /**
   * 405 or 204 when the path has routes for other methods; else a slash redirect or a 404.
   *
   * @throws the abort reason when the request was aborted: no automatic answer either.
   */
  #answerUnmatched(
    context: RequestContext,
    pathname: string,
    methods: Set<string>,
  ): Response | Promise<Response> {
    throwIfAborted(context)
    if (methods.size > 0) {
      return context.method === 'OPTIONS' ? allowedMethods(methods) : methodNotAllowed(methods)
    }
    let slashed = this.#redirectSlash ? toggleTrailingSlash(pathname) : undefined
    // `slashed` holds the same escapes as `pathname`, which the lookup just accepted.
    if (slashed !== undefined && this.#matcher.methodsFor(slashed).size > 0) {
      return redirectToPathname(context.url, slashed)
    }
    return settleStep(context, this.#defaultHandler(context))
  }

  /**
   * The response for an error that escaped the middleware and handlers. `onError` is raced against
   * the request's signal like every other step.
   *
   * @throws the abort reason when the request is aborted, before or while `onError` runs.
   */
  async #handleError(error: unknown, context: RequestContext): Promise<Response> {
    // An aborted request has no one to answer, and no hook of ours runs for it.
    throwIfAborted(context)
    // A 4xx HttpError is an answer; a 5xx one is a failure worth reporting.
    if (error instanceof HttpError && error.status < 500) return error.toResponse()
    let response: unknown
    try {
      response = await settleStep(context, this.#onError(error, context))
    } catch (hookError) {
      throwIfAborted(context)
      console.error(hookError)
    }
    if (isResponse(response)) return response
    if (error instanceof HttpError) return error.toResponse()
    return plainText(500, 'Internal Server Error')
  }
}

const getOnly: readonly string[] = ['GET']

/** The 400 for input `new Request` refuses; without a body when `init` asks for `HEAD`. */
function badRequest(init: RequestInit | undefined): Response {
  let response = plainText(400, 'Bad Request: invalid URL or request options')
  let method = init?.method
  return typeof method === 'string' && method.toUpperCase() === 'HEAD'
    ? withoutBody(response)
    : response
}

/** `input` and `init` as a `Request`; `undefined` when `new Request` refuses them. */
function toRequest(input: string | URL | Request, init: RequestInit | undefined) {
  if (init === undefined && isRequest(input)) return input
  try {
    return new Request(input, init)
  } catch {
    return undefined
  }
}

/** Whether `input` is a `Request`: its constructor read first, cheaper than `instanceof`. */
function isRequest(input: string | URL | Request): input is Request {
  return (
    typeof input === 'object' &&
    input !== null &&
    (input.constructor === Request || input instanceof Request)
  )
}

/**
 * Runs a route's middleware and handler. Not async: a handler that answers synchronously costs no
 * extra promise.
 */
function runRoute(entry: RouteEntry, context: RequestContext): Response | Promise<Response> {
  if (entry.middleware.length > 0) {
    return runMiddleware(entry.middleware, context, entry.handler).then((response) =>
      checked(entry, response),
    )
  }
  throwIfAborted(context)
  let result: unknown = entry.handler(context)
  if (isPromiseLike(result)) {
    return requestAbort(context)
      .race(result)
      .then((resolved) => checked(entry, resolved))
  }
  throwIfAborted(context)
  return checked(entry, result)
}

function checked(entry: RouteEntry, response: unknown): Response {
  if (!isResponse(response)) {
    throw new TypeError(`The handler of ${entry.method} ${entry.pattern} returned no Response`)
  }
  return response
}
