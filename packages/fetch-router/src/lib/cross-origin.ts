import { isHostAndPort } from './host-name.ts'
import { HttpError } from './http-error.ts'
import { parseIpv4 } from './ip-address.ts'
import type { Middleware } from './middleware.ts'
import type { AnyParams, RequestContext } from './request-context.ts'
import { compileExemption, type Exemption, isUnsafeRequest } from './unsafe-request.ts'

/** Options for {@link crossOrigin}. */
export interface CrossOriginOptions {
  /**
   * Other origins whose pages may send unsafe requests here, e.g. `['https://shop.example.com']`:
   * a scheme, a host and an optional port, nothing else (no path, not even a trailing `/`). Each
   * is checked at creation: a wildcard (`https://*.example.com`), a trailing dot, a host that is
   * not a DNS name or an IP address, or port 0 is a `TypeError`. A request passes when its
   * `Origin` header is one of them, exactly (scheme and host compared lower-case, a default port
   * dropped). Wildcards are not supported: for a family of origins, use an `exempt` function that
   * checks `request.headers.get('Origin')` itself. Default: none.
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
   * too (an app whose writes only ever come from browsers). Must be a boolean: a string such as
   * `'false'` read from the environment is a `TypeError` at creation.
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
 * override that ran before cannot hide a `POST`. A refusal throws an {@link HttpError} `403` whose
 * response is a short plain-text body; catch it in an outer middleware to render a page of your
 * own.
 *
 * Order: after every middleware that changes `context.url` or `context.method` ({@link
 * trustProxy}, a method override, a path rewrite), which it checks as they left them, and before
 * the session is read, so that a refused request costs no storage read and changes no session. A
 * method override that runs after it is a bypass: a cross-site `GET /items/1?_method=DELETE`
 * passes as a `GET` and reaches the handler as a `DELETE`. So is a rewrite of `context.url` after
 * it, which can route a path checked as exempt to a route that is not.
 *
 * @example
 * const router = createRouter({
 *   middleware: [crossOrigin({ exempt: ['/webhooks/*'] }), session(cookie, storage)],
 * })
 * @throws {TypeError} at creation when a trusted origin is not a bare origin (or holds a
 * wildcard), an `exempt` pattern is malformed, or `allowMissingHeaders` is not a boolean.
 */
export function crossOrigin(options: CrossOriginOptions = {}): Middleware {
  let origins: unknown = options.trustedOrigins ?? []
  if (!Array.isArray(origins)) {
    throw new TypeError('crossOrigin(): trustedOrigins must be an array of origins')
  }
  let trusted = new Set(origins.map(checkOrigin))
  let isExempt = compileExemption(options.exempt, 'crossOrigin()')
  let allowMissingHeaders = options.allowMissingHeaders === undefined || options.allowMissingHeaders
  if (typeof allowMissingHeaders !== 'boolean') {
    throw new TypeError(
      `crossOrigin(): allowMissingHeaders must be true or false, got ${JSON.stringify(allowMissingHeaders)}`,
    )
  }

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
  if (typeof origin === 'string' && origin.includes('*')) {
    throw new TypeError(
      `crossOrigin(): trusted origin ${JSON.stringify(origin)}: wildcards are not supported; list each origin, or use an \`exempt\` function that checks the Origin header`,
    )
  }
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
    /^[a-z][a-z\d+.-]*:\/\//i.test(origin as string) &&
    isHostAndPort(url.host) &&
    writtenAsParsed(origin as string, url) &&
    !(origin as string).endsWith('/') &&
    !/[?#]/.test(origin as string)
  if (!bare) {
    throw new TypeError(
      `crossOrigin(): trusted origin ${JSON.stringify(origin)} must be a scheme, a host (a DNS name without a trailing dot, or an IP address) and an optional port, such as "https://example.com:8443"`,
    )
  }
  return (url as URL).origin
}

/**
 * Whether an IPv4 host was written as the URL parser reads it: `https://10.1` and
 * `https://0x0a.0.0.1` both parse as `https://10.0.0.1`, an origin the writer did not mean.
 */
function writtenAsParsed(origin: string, url: URL): boolean {
  if (parseIpv4(url.hostname) === undefined) return true
  let authority = origin.slice(url.protocol.length + 2)
  return authority.replace(/:\d*$/, '') === url.hostname
}
