import { makeResponse, makeTypedResponse } from './made-responses.ts'

/**
 * A plain-text response with `Content-Type: text/plain; charset=utf-8` (unless `init.headers` sets
 * another). Like every helper here, the router remembers its body: when the session middleware adds
 * a cookie, it copies the response from that body instead of from its stream (the fast way to
 * answer a request that changes its session), and an answer to `HEAD` leaves its body untouched.
 */
export function text(body: string, init?: ResponseInit): Response {
  return withContentType(body, 'text/plain; charset=utf-8', init)
}

/**
 * A JSON response: the body is `JSON.stringify(data)` and `Content-Type` is
 * `application/json; charset=utf-8` unless `init.headers` sets another.
 *
 * @throws {TypeError} when `data` cannot be serialized (a BigInt, a cycle).
 */
export function json(data: unknown, init?: ResponseInit): Response {
  return withContentType(JSON.stringify(data), 'application/json; charset=utf-8', init)
}

/**
 * An HTML response with `Content-Type: text/html; charset=utf-8`. The string is sent as it is:
 * escape untrusted values yourself (see {@link escapeHtml}).
 */
export function html(body: string, init?: ResponseInit): Response {
  return withContentType(body, 'text/html; charset=utf-8', init)
}

/**
 * A redirect to `location` with an empty body. `init` is a status (default 302; use 303 after a
 * form POST, 307/308 to keep the method) or a full `ResponseInit`.
 *
 * @throws {RangeError} when the status is not 300 to 399.
 */
export function redirect(location: string | URL, init: number | ResponseInit = 302): Response {
  let responseInit = typeof init === 'number' ? { status: init } : { status: 302, ...init }
  let status = responseInit.status
  if (!Number.isInteger(status) || status < 300 || status > 399) {
    throw new RangeError(`A redirect status must be 300 to 399, got ${status}`)
  }
  let headers = new Headers(responseInit.headers)
  headers.set('Location', String(location))
  return makeResponse(null, { ...responseInit, headers })
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes `& < > " '` so that text can be placed in HTML content or a quoted attribute. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (char) => htmlEscapes[char] as string)
}

function withContentType(body: string, type: string, init: ResponseInit | undefined): Response {
  // Without init, plain headers: a server adapter writes them without building a Headers object.
  if (init === undefined) return makeTypedResponse(body, type)
  let headers = new Headers(init.headers)
  if (!headers.has('Content-Type')) headers.set('Content-Type', type)
  return makeResponse(body, { ...init, headers })
}
