import { type Context, checkMiddleware, type RequestHandler } from './controller.ts'
import type { HttpError } from './http-error.ts'
import type { AnyMiddleware, Middleware, ProvidedBy } from './middleware.ts'
import type { AnyParams, RequestContext } from './request-context.ts'
import { notFound } from './router-responses.ts'

/** Options for `createRouter`. */
export interface RouterOptions<List extends readonly AnyMiddleware[] = readonly AnyMiddleware[]> {
  /**
   * Middleware for every request, matched or not, in order. It runs before route matching, so it
   * may change `context.method` or `context.url`. What it provides (see {@link Middleware}) is
   * typed on every handler's context. The list is copied: changing the array later changes
   * nothing. Default: none.
   */
  middleware?: readonly [...List]
  /** Answers requests no route matches. Default: `404 Not Found` with a plain-text body. */
  defaultHandler?: RequestHandler<Context<AnyParams, ProvidedBy<List>>>
  /**
   * Called with an error that escaped every middleware. Return a response to send it; return
   * nothing to send the default: a plain `500 Internal Server Error`, or the error's own response
   * for an {@link HttpError} of status 500 and above. A 4xx `HttpError` is an answer, not a
   * failure: it skips this hook, and so does any error of an aborted request (`router.fetch`
   * rejects with the abort reason, also when the request aborts while this hook runs). Default:
   * logs the error with `console.error`. The error's message and stack are never sent to the
   * client unless this hook sends them.
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
  /**
   * Match static pattern text regardless of case; params keep the case sent. `true` or `false`
   * (a string such as `'false'` is refused). Default `false`.
   */
  ignoreCase?: boolean
  /**
   * The longest pathname routed, in characters of its percent-encoded form; longer ones get
   * `414 URI Too Long`. A whole number of at least 1, or `Infinity` for no limit. Default `8192`.
   */
  maxPathLength?: number
}

/** {@link RouterOptions} checked, with every default filled in. */
export interface RouterSettings {
  middleware: readonly Middleware<object>[]
  defaultHandler: RequestHandler<RequestContext>
  onError: NonNullable<RouterOptions['onError']>
  trailingSlash: NonNullable<RouterOptions['trailingSlash']>
  ignoreCase: boolean
  maxPathLength: number
}

const trailingSlashModes: readonly string[] = ['exact', 'ignore', 'redirect']

/**
 * Checks the options of `createRouter` and fills in the defaults. The middleware list is copied:
 * pushing to it after `createRouter` does not change the router.
 *
 * @throws {TypeError} naming the option and the value, when `options` is not an object,
 * `middleware` is not a list of functions, `defaultHandler` or `onError` is not a function,
 * `trailingSlash` is not one of its three values, `ignoreCase` is not a boolean, or
 * `maxPathLength` is not a whole number of at least 1 (or `Infinity`).
 */
export function resolveRouterOptions(options: RouterOptions): RouterSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createRouter: options must be an object, got ${show(options)}`)
  }
  let { defaultHandler = notFound, onError = logError, ignoreCase = false } = options
  let { trailingSlash = 'exact', maxPathLength = 8192 } = options
  let middleware = checkMiddleware(options.middleware, 'createRouter')
  if (typeof defaultHandler !== 'function') refuse('defaultHandler', defaultHandler, 'a function')
  if (typeof onError !== 'function') refuse('onError', onError, 'a function')
  if (!trailingSlashModes.includes(trailingSlash)) {
    refuse('trailingSlash', trailingSlash, "'exact', 'ignore' or 'redirect'")
  }
  if (typeof ignoreCase !== 'boolean') refuse('ignoreCase', ignoreCase, 'true or false')
  if (!(Number.isInteger(maxPathLength) && maxPathLength >= 1) && maxPathLength !== Infinity) {
    refuse('maxPathLength', maxPathLength, 'a whole number of at least 1, or Infinity')
  }
  return {
    middleware,
    defaultHandler: defaultHandler as RequestHandler<RequestContext>,
    onError,
    trailingSlash,
    ignoreCase,
    maxPathLength,
  }
}

function refuse(option: string, value: unknown, expected: string): never {
  throw new TypeError(`createRouter: ${option} must be ${expected}, got ${show(value)}`)
}

/** A value as an error message shows it: strings quoted, so `'false'` is not read as `false`. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object' && value !== null) return 'an object'
  return String(value)
}

function logError(error: unknown): undefined {
  console.error(error)
}
