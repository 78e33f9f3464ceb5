import { DevalueError } from 'devalue'
import { type Cookie, CookieSizeError, isSecureOptOut, maxCookieSize } from './cookie.ts'
import {
  addCookie,
  copyProblem,
  copyWithCookie,
  type HeaderEntries,
  headerEntries,
  type ResponseSource,
} from './response-copy.ts'
import { keepsCookieOnSave } from './server-storage.ts'
import { type Data, type Session, sessionRenewsAt } from './session.ts'
import type { SessionStorage } from './session-storage.ts'
import { SessionStorageError } from './session-storage-error.ts'
import { SessionTooLargeError } from './session-too-large-error.ts'
import { SessionUserError } from './session-user-error.ts'
import { isPrivate, sharedCacheHeader } from './shared-cache.ts'

const defaultCacheControl = 'private, no-store'

/**
 * Sessions committed after `regenerateId(true)`: a second commit would find the old id retired,
 * save nothing and send no cookie. Filled only for such sessions, so other commits cost nothing.
 */
const committedLogins = new WeakSet<Session<Data, Data>>()

/**
 * The property under which a response `commitSession` made (a copy carrying a cookie) keeps the
 * request it answers: a later commit for the same request (a second session cookie) adds its
 * headers to it instead of copying it again. A commit for another request copies it: an app that
 * keeps a committed response and answers the next visitor with it must not have that visitor's
 * cookie added to the object it keeps. A property of the copy this module made (nothing outside
 * can name it), not a WeakMap entry, which costs more per response than the copy.
 */
const answersKey = Symbol('answers')

interface CommittedResponse extends Response {
  /** With the response itself: a tag copied onto another object (`Object.assign`) does not count. */
  [answersKey]?: { request: object; response: Response }
}

/** Whether `commitSession` made `response` for `request`. */
function isOwn(response: Response, request: object): boolean {
  let tag = (response as CommittedResponse)[answersKey]
  return tag?.request === request && tag.response === response
}

/** Options for {@link commitSession}. */
export interface CommitSessionOptions<Values extends Data = Data, Flash extends Data = Data> {
  /** The session cookie: it must be the one the session was read with. */
  cookie: Cookie
  /** The storage the session was read from. */
  storage: SessionStorage<Values, Flash>
  /**
   * `Cache-Control` added to a response that sets the cookie, unless the response has a non-empty
   * one, so shared caches never store one user's cookie for another. Default `'private, no-store'`;
   * `false` adds nothing. A string must keep shared caches out (an unqualified `private`, or
   * `no-store`): `'public, max-age=600'` or `'max-age=600'` is a `TypeError`, thrown before
   * anything is saved.
   */
  cacheControl?: string | false
  /**
   * Whether the request reached the app over HTTPS: the cookie then gets `Secure`, unless it was
   * created with `secure: false`. Default: whether `request.url` starts with `https:` (in any
   * case). Behind a proxy that ends TLS, `request.url` says `http:`: pass `true`, or what a
   * trusted `X-Forwarded-Proto` says. A function is called only when a cookie is about to be set.
   */
  https?: boolean | (() => boolean)
  /**
   * What `response` was made with, for a caller that made it: its body (a string or `null`), status
   * text (default `''`) and, while nothing has read `response.headers`, its headers (see
   * {@link ResponseSource.headers}). The copy that carries the cookie is then made from these, with
   * the response's current status and headers, instead of from `response.body`: no stream is read or
   * shared (the response given keeps its body), and the server's adapter can send the copy as it
   * would the original (on Node with `@hono/node-server`, a copy made from
   * `response.body` is a stream the adapter pumps chunk by chunk: about a third of the server CPU
   * of a session request in `pnpm bench`). Default: none, the copy takes `response.body`.
   *
   * Give it only for a response made with exactly this body: the copy sends `body` whatever was
   * read from `response.body` since. A `body` on a status that has none (204, 205, 304) cannot be
   * copied: a changed session is a `TypeError` before anything is saved, as for a response whose
   * body was read. `@x/fetch-router`'s session middleware passes it for the
   * responses its helpers (`text`, `html`, `json`, `redirect`) and the router made.
   */
  madeWith?: ResponseSource
}

/**
 * Saves the session and answers with `response` carrying its cookie. `request` is the request the
 * response answers (only its `method` and `url` are read, so a plain object does for a server
 * without Fetch requests; the method in any case). The answer is a new `Response` with the same
 * body, status and headers plus `Set-Cookie` (and `Cache-Control`, see the option). The response
 * given is never changed: its headers may be immutable (`Response.redirect()`, a `fetch()`
 * result), and one module-level constant can answer every visitor as long as its body is `null`
 * (the copy shares the body stream, so a body can be sent once; with the `madeWith` option the copy
 * is made from the body given there instead). When nothing must be sent,
 * `response` itself is returned. A response an earlier `commitSession` returned for the same
 * `request` (the same object) is its own: the cookie is added to it, without another copy; one it
 * returned for another request is copied like any other.
 *
 * - `HEAD` requests save nothing and send no cookie: the handler ran for headers only, so a flash
 *   message it read stays for the `GET` that shows it.
 * - A response a shared cache may store never carries the session cookie: one whose
 *   `Cache-Control` has neither an unqualified `private` nor `no-store` (`public`, `max-age=600`,
 *   `no-cache`, `private="set-cookie"`...), or that has a `CDN-Cache-Control`,
 *   `Cloudflare-CDN-Cache-Control`, `Vercel-CDN-Cache-Control` or `Surrogate-Control` without
 *   them. A renewal due on it waits, storing nothing, for a response that can carry its cookie; a
 *   session the handler changed is refused with an `Error` naming the header, before anything is
 *   saved. A response without `Cache-Control` gets the `cacheControl` option.
 * - A response that cannot be copied (`Response.error()`, a body already read or locked, a status
 *   outside 200–599 such as a `101` upgrade) never carries the cookie either: a renewal waits, a
 *   changed session is a `TypeError`, before anything is saved. One exception: a change whose
 *   save sends no cookie (a session of this package's server-side storages, read from its store,
 *   saved under the same id, with neither its `userKey` value changed nor a renewal due) does not
 *   read the body's state before the save (on Node with `@hono/node-server`, reading it turns
 *   the adapter's light response into a full one, which it then sends as a stream). On a response
 *   whose body was read or is locked such a change is saved and the response returned as it is:
 *   no server can send it, so the request fails at the adapter instead.
 * - A session is committed once: committing it again after `regenerateId(true)` is an `Error`
 *   (the first commit retired the old id, so a second would save nothing and send no cookie).
 * - Over HTTPS the cookie gets `Secure` (see the `https` option).
 *
 * @example
 * const session = await storage.read(await cookie.parse(request.headers.get('Cookie')))
 * session.set('user', 'ada')
 * return commitSession(request, Response.redirect(new URL('/', request.url), 303), session, {
 *   cookie,
 *   storage,
 * })
 * @throws {SessionStorageError} when the storage fails (answer `503`); its `cause` is the
 * storage's error.
 * @throws {SessionTooLargeError} when the session does not fit in its cookie.
 * @throws {SessionUserError} (a `TypeError`) when the `userKey` value cannot name a user; nothing
 * is saved.
 * @throws {TypeError} for a `cacheControl` option that lets shared caches in, or a changed session
 * on a response that cannot be copied (for a change whose save sends no cookie: only for its
 * status); nothing is saved.
 * @throws {Error} when a response a shared cache may store would carry a changed session, or for
 * a second commit after `regenerateId(true)` (nothing is saved); from devalue for a value it
 * cannot serialize (a function, a class instance).
 */
export async function commitSession<Values extends Data, Flash extends Data>(
  request: Pick<Request, 'method' | 'url'>,
  response: Response,
  session: Session<Values, Flash>,
  options: CommitSessionOptions<Values, Flash>,
): Promise<Response> {
  if (isHead(request.method)) return response
  // The headers are read once, when first needed, and what is checked is what is copied: another
  // request may change a response kept in a module while this one awaits its save.
  let read: HeaderEntries | undefined
  let headers = () => (read ??= headerEntries(response, options.madeWith))
  let changed = session.dirty
  // Read once: what is checked is what saves.
  let storage = options.storage as SessionStorage
  let saveWith = storage.save
  let keepsCookie = changed && keepsCookieOnSave(saveWith, session)
  if (changed) checkBeforeSave(request, response, session, options, headers(), keepsCookie)
  else if (renewalWaits(request, response, session, options, headers)) return response
  // The save and the serialize are awaited here, not in helpers of their own: each would be an
  // async frame suspended on every request (bench/allocations.ts).
  let value: string | null
  try {
    value = await saveWith.call(storage, session)
  } catch (error) {
    throw saveFailure(error)
  }
  if (changed && session.deleteId !== undefined) committedLogins.add(session)
  if (value === null) return response
  let own = isOwn(response, request)
  // Only a renewal was due (a session of another storage, or one that fell due since the check
  // above): its cookie waits for a response that can carry it.
  if (!changed && cannotCarry(response, own, options, headers())) return response
  // A change that was to send no cookie found its session ended meanwhile (the cookie that clears
  // it: nothing was saved, the next request finds none), or renewed after a clock step of more than
  // a second since the check, on a response whose body cannot be copied: it goes out as it is.
  if (keepsCookie && copyProblem(response, own, options.madeWith) !== null) return response
  let cacheControl = cacheControlOption(options)
  let setCookie: string
  try {
    setCookie = await options.cookie.serialize(
      value,
      serializeProps(options.cookie, isHttps(request, options)),
    )
  } catch (error) {
    throw serializeFailure(error, session)
  }
  if (own) return addCookie(response, setCookie, cacheControl)
  let answer: CommittedResponse = copyWithCookie(
    response,
    options.madeWith,
    headers(),
    setCookie,
    cacheControl,
  )
  answer[answersKey] = { request, response: answer }
  return answer
}

/**
 * Whether a renewal is due on an unchanged session read from a storage of this package, but
 * `response` cannot carry its cookie (a shared cache may store it, or it cannot be copied): the
 * renewal then waits, saving nothing, for a response that can, so the stored expiry never moves
 * past the end of the cookie the browser holds. "Due" includes the second before it falls due: an
 * unchanged session saves nothing then anyway. Headers are read only when a renewal is due, so
 * the common request (nothing to save) reads none.
 */
function renewalWaits(
  request: object,
  response: Response,
  session: Session<Data, Data>,
  options: Pick<CommitSessionOptions, 'madeWith'>,
  headers: () => HeaderEntries,
): boolean {
  let renewsAt = sessionRenewsAt(session)
  // A second early: the save reads the clock again, and must not find the renewal due then.
  if (renewsAt === undefined || Date.now() < renewsAt - 1000) return false
  return cannotCarry(response, isOwn(response, request), options, headers())
}

/**
 * Whether `response` (with `headers`) cannot carry the cookie: a shared cache may store it, or it
 * cannot be copied.
 */
function cannotCarry(
  response: Response,
  own: boolean,
  options: Pick<CommitSessionOptions, 'madeWith'>,
  headers: HeaderEntries,
): boolean {
  return (
    sharedCacheHeader(headers) !== null || copyProblem(response, own, options.madeWith) !== null
  )
}

/** What a failed save throws: the app's mistakes as they are (a 500), anything else as an outage. */
function saveFailure(error: unknown): unknown {
  let appError =
    error instanceof SessionTooLargeError ||
    error instanceof DevalueError ||
    error instanceof SessionUserError
  return appError ? error : new SessionStorageError(error)
}

/** The props `cookie.serialize` takes: `Secure` over HTTPS, unless the cookie opted out. */
function serializeProps(cookie: Cookie, https: boolean): { secure: true } | undefined {
  return https && !cookie.secure && !isSecureOptOut(cookie) ? { secure: true } : undefined
}

/** What a failed serialize throws: a cookie too large for browsers is a session too large. */
function serializeFailure(error: unknown, session: Session<Data, Data>): unknown {
  if (!(error instanceof CookieSizeError)) return error
  return new SessionTooLargeError(session, error.size, maxCookieSize, { cause: error })
}

function isHttps(
  request: Pick<Request, 'url'>,
  options: Pick<CommitSessionOptions, 'https'>,
): boolean {
  let https = options.https
  if (https === undefined) return /^https:/i.test(request.url)
  return typeof https === 'function' ? https() : https
}

/** Fetch requests upper-case `HEAD`; a plain `{ method }` object may not. */
function isHead(method: string): boolean {
  return method === 'HEAD' || (method.length === 4 && method.toUpperCase() === 'HEAD')
}

function cacheControlOption(options: Pick<CommitSessionOptions, 'cacheControl'>): string | false {
  let value = options.cacheControl ?? defaultCacheControl
  if (value === false || value === defaultCacheControl) return value
  if (typeof value !== 'string' || !isPrivate(value)) {
    throw new TypeError(
      `commitSession(): cacheControl ${JSON.stringify(value)} would let shared caches store the session cookie; it needs an unqualified \`private\` or \`no-store\` (or false to add none)`,
    )
  }
  return value
}

/**
 * The checks that must pass before a changed session is saved: after the save, a throw loses it.
 * When the save sends no cookie (`keepsCookie`, see `keepsCookieOnSave`), whether the body was
 * read or is locked is not checked: reading it makes a full Response of `@hono/node-server`'s
 * light one, which the adapter then sends as a stream.
 */
function checkBeforeSave(
  request: object,
  response: Response,
  session: Session<Data, Data>,
  options: Pick<CommitSessionOptions, 'cacheControl' | 'madeWith'>,
  headers: HeaderEntries,
  keepsCookie: boolean,
): void {
  cacheControlOption(options)
  if (session.deleteId !== undefined && committedLogins.has(session)) {
    throw new Error(
      'commitSession(): this session was already committed after regenerateId(true); a second commit would find the old id retired, save nothing and send no cookie. Commit a session once, and send the response the first commit returned',
    )
  }
  let problem = copyProblem(response, isOwn(response, request), options.madeWith, !keepsCookie)
  if (problem !== null) {
    throw new TypeError(
      `commitSession(): the session changed, but the response cannot be copied to carry its cookie: ${problem}. Nothing was saved`,
    )
  }
  let shared = sharedCacheHeader(headers)
  if (shared !== null) {
    throw new Error(
      `The session changed, but a shared cache may store the response (${shared}): a CDN or proxy would hand this user's session cookie to others. Rule: a response that sets the session cookie must not be storable by a shared cache; add \`private\` or \`no-store\` to its Cache-Control (and drop CDN caching headers), or do not change the session on a cacheable route. Nothing was saved`,
    )
  }
}
