import { DevalueError } from 'devalue'
import { type Cookie, CookieSizeError, maxCookieSize } from './cookie.ts'
import type { Data, Session } from './session.ts'
import type { SessionStorage } from './session-storage.ts'
import { SessionStorageError } from './session-storage-error.ts'
import { SessionTooLargeError } from './session-too-large-error.ts'

/** Options for {@link commitSession}. */
export interface CommitSessionOptions<Values extends Data = Data, Flash extends Data = Data> {
  /** The session cookie: it must be the one the session was read with. */
  cookie: Cookie
  /** The storage the session was read from. */
  storage: SessionStorage<Values, Flash>
  /**
   * `Cache-Control` added to a response that sets the cookie, unless the response has one, so
   * shared caches never store one user's cookie for another. Default `'private, no-store'`;
   * `false` adds nothing.
   */
  cacheControl?: string | false
  /**
   * Whether the request reached the app over HTTPS: the cookie then gets `Secure`, unless it was
   * created with `secure: false`. Default: whether `request.url` starts with `https:`. Behind a
   * proxy that ends TLS, `request.url` says `http:`: pass `true`, or what a trusted
   * `X-Forwarded-Proto` says. A function is called only when a cookie is about to be set.
   */
  https?: boolean | (() => boolean)
}

/**
 * Saves the session and answers with `response` carrying its cookie. `request` is the request the
 * response answers (only its `method` and `url` are read, so a plain object does for a server
 * without Fetch requests). The answer is a new `Response` with the
 * same body, status and headers plus `Set-Cookie` (and `Cache-Control`, see the option). The
 * response given is never changed, so a shared or immutable one (`Response.redirect()`, a
 * module-level constant, a `fetch()` result) is safe. When nothing must be sent, `response`
 * itself is returned.
 *
 * - `HEAD` requests save nothing and send no cookie: the handler ran for headers only, so a flash
 *   message it read stays for the `GET` that shows it.
 * - A response marked for shared caches (`Cache-Control` with `public` or `s-maxage`, and neither
 *   `private` nor `no-store`) never carries the session cookie: a renewal due on it is not sent
 *   (a server storage still renews the stored expiry), and a session the handler changed is
 *   refused with an `Error`, before anything is saved.
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
 * @throws {Error} when a response marked for shared caches would carry a changed session, or
 * from devalue for a value it cannot serialize (a function, a class instance).
 */
export async function commitSession<Values extends Data, Flash extends Data>(
  request: Pick<Request, 'method' | 'url'>,
  response: Response,
  session: Session<Values, Flash>,
  options: CommitSessionOptions<Values, Flash>,
): Promise<Response> {
  if (request.method === 'HEAD') return response
  let changed = session.dirty
  if (changed) refuseSharedCache(response)
  let value: string | null
  try {
    value = await options.storage.save(session)
  } catch (error) {
    throw error instanceof SessionTooLargeError || error instanceof DevalueError
      ? error
      : new SessionStorageError(error)
  }
  if (value === null) return response
  // Only a renewal was due: its cookie waits for a private response. Looked at only here and for
  // a changed session, so the common request (nothing to save) reads no header.
  if (!changed && isSharedCacheable(response)) return response
  let setCookie = await serialize(options.cookie, value, session, isHttps(request, options))
  let copy = new Response(response.body, response)
  copy.headers.append('Set-Cookie', setCookie)
  let cacheControl = options.cacheControl ?? 'private, no-store'
  if (cacheControl !== false && !copy.headers.has('Cache-Control')) {
    copy.headers.set('Cache-Control', cacheControl)
  }
  return copy
}

async function serialize(
  cookie: Cookie,
  value: string,
  session: Session<Data, Data>,
  https: boolean,
): Promise<string> {
  let secure = https && !cookie.secure && cookie.attributes.secure !== false
  try {
    return await cookie.serialize(value, secure ? { secure: true } : undefined)
  } catch (error) {
    if (error instanceof CookieSizeError) {
      throw new SessionTooLargeError(session, error.size, maxCookieSize, { cause: error })
    }
    throw error
  }
}

function isHttps(
  request: Pick<Request, 'url'>,
  options: Pick<CommitSessionOptions, 'https'>,
): boolean {
  let https = options.https
  if (https === undefined) return request.url.startsWith('https:')
  return typeof https === 'function' ? https() : https
}

/** Whether shared caches (a CDN, a proxy) may store the response and hand it to others. */
function isSharedCacheable(response: Response): boolean {
  let header = response.headers.get('Cache-Control')
  if (header === null) return false
  let names = header.split(',').map((directive) => directive.split('=')[0]?.trim().toLowerCase())
  let shared = names.includes('public') || names.includes('s-maxage')
  return shared && !names.includes('private') && !names.includes('no-store')
}

function refuseSharedCache(response: Response): void {
  if (!isSharedCacheable(response)) return
  throw new Error(
    `The session changed, but the response is marked for shared caches (Cache-Control: ${response.headers.get('Cache-Control')}): a CDN or proxy would hand this user's session cookie to others. Rule: a response that sets the session cookie must not be public; mark it private, or do not change the session on a cacheable route`,
  )
}
