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
 * Checks the options of `createRouter` and fills in the defaults.
 *
 * @throws {TypeError} when `middleware` is not a list of functions or `trailingSlash` is not one
 * of its three values.
 */
export function resolveRouterOptions(options: RouterOptions): RouterSettings {
  let middleware = checkMiddleware(options.middleware, 'createRouter')
  let trailingSlash = options.trailingSlash ?? 'exact'
  if (!trailingSlashModes.includes(trailingSlash)) {
    throw new TypeError(
      `trailingSlash must be 'exact', 'ignore' or 'redirect', got ${trailingSlash}`,
    )
  }
  return {
    middleware,
    defaultHandler: (options.defaultHandler ?? notFound) as RequestHandler<RequestContext>,
    onError: options.onError ?? logError,
    trailingSlash,
    ignoreCase: options.ignoreCase ?? false,
    maxPathLength: options.maxPathLength ?? 8192,
  }
}

function logError(error: unknown): undefined {
  console.error(error)
}
