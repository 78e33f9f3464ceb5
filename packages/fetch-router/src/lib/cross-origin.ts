import { HttpError } from './http-error.ts'
import type { Middleware } from './middleware.ts'
import type { AnyParams, RequestContext } from './request-context.ts'
import { compileExemption, type Exemption, isUnsafeRequest } from './unsafe-request.ts'

/** Options for {@link crossOrigin}. */
export interface CrossOriginOptions {
  /**
   * Other origins whose pages may send unsafe requests here, e.g. `['https://shop.example.com']`:
   * a scheme, a host and an optional port, nothing else (no path, not even a trailing `/`). Each
   * is checked at creation. A request passes when its `Origin` header is one of them, exactly.
   * Default: none.
   */
  trustedOrigins?: readonly string[]
  /**
   * Routes that must take requests from anywhere, such as webhooks: pathname patterns in the
   * router's syntax (`['/webhooks/*']`), matched exactly as written against the routing pathname,
   * or a function of the context that returns `true` to let the request through. Exempt routes
   * get no protection from this middleware: they must authenticate requests some other way (a
   * signature, a token in a header). Default: none.
   */
  exempt?: Exemption
  /**
   * Whether an unsafe request that carries neither `Sec-Fetch-Site` nor `Origin` passes. Browsers
   * send one or both with every unsafe request, so such a request comes from curl, a server or a
   * script, which have no cookies of the user's to abuse. Default `true`; `false` refuses them
   * too (an app whose writes only ever come from browsers).
   */
  allowMissingHeaders?: boolean
}

/**
 * Middleware that refuses unsafe requests (any method but `GET`, `HEAD` and `OPTIONS`) a browser
 * sent from another origin: cross-site request forgery, including from another port or subdomain
 * of the same site, which `SameSite` cookies let through. The design is Go 1.25's
 * `http.CrossOriginProtection`:
 *
 * 1. `Sec-Fetch-Site` (sent by every current browser, and not settable by page scripts):
 *    `same-origin` and `none` (typed in the address bar) pass; any other value is refused.
 * 2. Without it, `Origin` (older browsers): passes when it equals `context.url.origin`, so a
 *    {@link trustProxy} rewrite counts; `Origin: null` and any other origin are refused.
 * 3. Neither header: passes (option `allowMissingHeaders`).
 *
 * A request whose `Origin` is in `trustedOrigins`, or whose route is `exempt`, passes whatever
 * its headers say. The method the client sent and `context.method` are both checked, so a method
 * override cannot hide a `POST`. A refusal throws an {@link HttpError} `403` whose response is a
 * short plain-text body; catch it in an outer middleware to render a page of your own.
 *
 * Put it first among the router middleware (after {@link trustProxy}), before the session is
 * read, so that a refused request costs no storage read and changes no session.
 *
 * @example
 * const router = createRouter({
 *   middleware: [crossOrigin({ exempt: ['/webhooks/*'] }), session(cookie, storage)],
 * })
 * @throws {TypeError} at creation when a trusted origin is not a bare origin, or an `exempt`
 * pattern is malformed.
 */
export function crossOrigin(options: CrossOriginOptions = {}): Middleware {
  let trusted = new Set((options.trustedOrigins ?? []).map(checkOrigin))
  let isExempt = compileExemption(options.exempt, 'crossOrigin()')
  let allowMissingHeaders = options.allowMissingHeaders ?? true

  function allowed(context: RequestContext<AnyParams>): boolean {
    let headers = context.request.headers
    let origin = headers.get('Origin')
    let site = headers.get('Sec-Fetch-Site')
    if (site === 'same-origin' || site === 'none') return true
    if (site === null) {
      if (origin === null) return allowMissingHeaders
      if (origin === context.url.origin) return true
    }
    return (origin !== null && trusted.has(origin)) || isExempt(context)
  }

  return function crossOriginMiddleware(context, next) {
    if (isUnsafeRequest(context) && !allowed(context)) {
      throw new HttpError(403, 'Forbidden: cross-origin request refused')
    }
    return next()
  }
}

/** The serialized origin of a trusted-origin option. */
function checkOrigin(origin: unknown): string {
  let url: URL | undefined
  try {
    url = typeof origin === 'string' ? new URL(origin) : undefined
  } catch {
    url = undefined
  }
  let bare =
    url !== undefined &&
    url.origin !== 'null' &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !(origin as string).endsWith('/') &&
    !/[?#]/.test(origin as string)
  if (!bare) {
    throw new TypeError(
      `crossOrigin(): trusted origin ${JSON.stringify(origin)} must be a scheme, a host and an optional port, such as "https://example.com:8443"`,
    )
  }
  return (url as URL).origin
}
