import { madeWith, makeResponse, makeTypedResponse } from './made-responses.ts'
import { RequestMethods } from './request-methods.ts'

const plainTextType = 'text/plain; charset=utf-8'

/** A response with a plain-text body and `Content-Type: text/plain; charset=utf-8`. */
export function plainText(status: number, body: string): Response {
  return makeTypedResponse(body, plainTextType, status)
}

/** The default answer when no route matches: `404 Not Found`, which never echoes the path. */
export function notFound(): Response {
  return plainText(404, 'Not Found')
}

/** The answer when a path has routes, but none for the request's method. */
export function methodNotAllowed(methods: Set<string>): Response {
  // Headers written out rather than merged: a spread object makes `new Response` measurably slower.
  return makeResponse('Method Not Allowed', {
    status: 405,
    headers: { Allow: allowHeader(methods), 'Content-Type': plainTextType },
  })
}

/** The automatic answer to `OPTIONS` on a path that has routes: `204` with `Allow`. */
export function allowedMethods(methods: Set<string>): Response {
  return makeResponse(null, { status: 204, headers: { Allow: allowHeader(methods) } })
}

/** A `308` to `url` with its pathname replaced by `pathname`, on the same origin. */
export function redirectToPathname(url: URL, pathname: string): Response {
  // Set the pathname on a copy of the URL: joined as text, "//host/x" would leave the site.
  let location = new URL(url)
  location.pathname = pathname
  return makeResponse(null, { status: 308, headers: { Location: location.href } })
}

/**
 * `response` without its body, for an answer to a `HEAD` request: a new response with the same
 * status and headers, whose body is cancelled (it is never sent). A response without a body is
 * returned as it is. One this package made ({@link makeResponse}) is left untouched, body and
 * all: its body is a string, which needs no cancelling, and the app may send it again.
 */
export function withoutBody(response: Response): Response {
  let made = madeWith(response)
  if (made !== undefined) {
    if (made.body === null) return response
    let { status, headers } = response
    return new Response(null, { status, statusText: made.statusText, headers })
  }
  let body = response.body
  if (body === null) return response
  void body.cancel().catch(ignore)
  return new Response(null, response)
}

function ignore(): void {}

/** `pathname` with its trailing `/` removed or added; `undefined` for `/`. */
export function toggleTrailingSlash(pathname: string): string | undefined {
  if (pathname === '/') return undefined
  return pathname.endsWith('/') ? pathname.slice(0, -1) : `${pathname}/`
}

/** The `Allow` header for `methods`: `HEAD` where there is `GET`, and always `OPTIONS`. */
function allowHeader(methods: Set<string>): string {
  let allowed = new Set(methods)
  if (allowed.has('GET')) allowed.add('HEAD')
  allowed.add('OPTIONS')
  return RequestMethods.filter((method) => allowed.has(method)).join(', ')
}
