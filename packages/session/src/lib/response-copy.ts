/**
 * What a response was made with: its body and status text. See `CommitSessionOptions.madeWith`
 * (`commitSession`).
 */
export interface ResponseSource {
  /** The body given to `new Response()`: a string, or `null` for none. */
  readonly body: string | null
  /** The `statusText` given to `new Response()`. Default `''`. */
  readonly statusText?: string
  /**
   * The headers given to `new Response()`, for as long as nothing has read `response.headers`
   * (whoever reads them may change them): `commitSession` then checks and copies these instead of
   * reading `response.headers`, which on Node with `@hono/node-server` builds a `Headers` object
   * and makes the adapter write the response from it rather than from its plain record (about a
   * tenth of the server CPU of a session request in `pnpm bench`). Names in any case. Default:
   * none, `response.headers` is read. `@x/fetch-router` gives it, through a getter that returns
   * `undefined` from the first read of `response.headers` on.
   */
  readonly headers?: Readonly<Record<string, string>>
}

/** Header names (lower case, as `Headers` yields them) and values. */
export type HeaderEntries = [string, string][]

/**
 * The headers of `response` as they are now, a copy that later changes to them do not reach:
 * those it was made with while the caller knows them (`made.headers`), else `response.headers`.
 */
export function headerEntries(response: Response, made: ResponseSource | undefined): HeaderEntries {
  let known = made?.headers
  if (known === undefined) return [...response.headers]
  let entries: [string, string][] = []
  // Own keys, as `new Response()` reads a record.
  for (let name of Object.keys(known)) {
    let lower = name.toLowerCase()
    // Two names of one header, or one `Headers` drops: kept as `new Response()` would keep them.
    if (lower === '__proto__' || entries.some(([seen]) => seen === lower)) {
      return [...new Headers(known)]
    }
    entries.push([lower, known[name] as string])
  }
  return entries
}

/**
 * A copy of `response` with the headers `entries` (its own, as {@link headerEntries} read them)
 * plus `setCookie`, and `Cache-Control: cacheControl` unless they have a non-empty one (`false`:
 * none added). Its body is the one it was made with when the caller knows it (`made`), else
 * `response.body`, which the copy takes over. `response` is not changed.
 */
export function copyWithCookie(
  response: Response,
  made: ResponseSource | undefined,
  entries: HeaderEntries,
  setCookie: string,
  cacheControl: string | false,
): Response {
  let headers = headersWithCookie(entries, setCookie, cacheControl)
  let status = response.status
  if (made === undefined) {
    return new Response(response.body, { status, statusText: response.statusText, headers })
  }
  let copy = new Response(made.body, { status, statusText: made.statusText, headers })
  // A string body gives a Response a Content-Type when its headers have none: the copy keeps the
  // response's headers as they are.
  if (made.body !== null && !hasContentType(headers)) copy.headers.delete('Content-Type')
  return copy
}

function hasContentType(headers: HeadersInit): boolean {
  return headers instanceof Headers
    ? headers.has('Content-Type')
    : (headers as Record<string, string>)['content-type'] !== undefined
}

/**
 * Adds `setCookie` (and `Cache-Control` as {@link copyWithCookie} does) to a response the caller
 * made, and returns it.
 */
export function addCookie(
  response: Response,
  setCookie: string,
  cacheControl: string | false,
): Response {
  appendCookie(response.headers, setCookie, cacheControl)
  return response
}

function appendCookie(headers: Headers, setCookie: string, cacheControl: string | false): void {
  headers.append('Set-Cookie', setCookie)
  if (cacheControl !== false && !headers.get('Cache-Control')?.trim()) {
    headers.set('Cache-Control', cacheControl)
  }
}

/**
 * `headers` with the cookie added. As a plain record when they set no cookie of their own: a
 * server adapter writes a record as it is (`@hono/node-server`) where a `Headers` must be built
 * and then read back. Otherwise a `Headers`, the only form that keeps two `Set-Cookie` fields
 * apart (and that keeps a header named `__proto__`).
 */
function headersWithCookie(
  headers: HeaderEntries,
  setCookie: string,
  cacheControl: string | false,
): HeadersInit {
  // A plain object: one without a prototype is twice as slow to fill, and only `__proto__` (left to
  // a Headers below) is special as an own key.
  let record: Record<string, string> = {}
  for (let [name, value] of headers) {
    // `__proto__` would set the record's prototype, not a header.
    if (name === 'set-cookie' || name === '__proto__') {
      let copy = new Headers(headers)
      appendCookie(copy, setCookie, cacheControl)
      return copy
    }
    record[name] = value
  }
  record['set-cookie'] = setCookie
  if (cacheControl !== false && !record['cache-control']?.trim()) {
    record['cache-control'] = cacheControl
  }
  return record
}

/** Statuses whose responses have no body (Fetch's "null body status"). */
const nullBodyStatuses = new Set([204, 205, 304])

/**
 * Why the response cannot be copied; `null` when it can. `own`: one the caller made, which needs
 * no copy; `made`: what it was made with, so its body is not read for the copy. The status first:
 * with `@hono/node-server`'s light responses it costs nothing, where `type` or the body make a
 * full Response. `checkBody: false` leaves out whether the body was read or is locked (the checks
 * that make a full Response of a light one).
 */
export function copyProblem(
  response: Response,
  own: boolean,
  made: ResponseSource | undefined,
  checkBody = true,
): string | null {
  let status = response.status
  if (status < 200 || status > 599) {
    return response.type === 'error'
      ? 'it is Response.error()'
      : `its status ${status} cannot be copied`
  }
  if (own) return null
  if (made !== undefined) {
    return made.body !== null && nullBodyStatuses.has(status)
      ? `its status ${status} cannot have the body given in madeWith`
      : null
  }
  if (!checkBody) return null
  if (response.bodyUsed) return 'its body was already read'
  if (response.body?.locked) return 'its body is locked by a reader'
  return null
}
