import type { Data, Session, SessionStorage } from '@x/session'
import {
  type CommitSessionOptions,
  commitSession,
  Session as SessionKey,
  SessionStorageError,
} from '@x/session'
import type { Cookie } from '@x/session/cookie'
import { HttpError } from './http-error.ts'
import { madeWith } from './made-responses.ts'
import type { Middleware } from './middleware.ts'
import {
  type AnyParams,
  createContextKey,
  isHttpsRequest,
  isRequestAborted,
  type RequestContext,
} from './request-context.ts'

/** Options for {@link session}. */
export interface SessionMiddlewareOptions {
  /**
   * `Cache-Control` added to a response that sets the session cookie, unless the handler set one,
   * so shared caches never store one user's cookie for another. Default `'private, no-store'`;
   * `false` adds nothing. A string must keep shared caches out (an unqualified `private`, or
   * `no-store`): `'public, max-age=600'` is a `TypeError` when the middleware is created.
   */
  cacheControl?: string | false
  /**
   * Load the session only when the handler asks for it. Default `false`: the session is read
   * before the handler and is `context.session`, synchronous like Remix's. With `true` the
   * middleware provides `context.loadSession()` instead, and a request whose handler never calls
   * it does no session work at all: no signature check, no storage I/O, no `Set-Cookie`.
   */
  lazy?: boolean
}

/** {@link SessionMiddlewareOptions} for the lazy mode: `context.loadSession()`. */
export interface LazySessionMiddlewareOptions extends SessionMiddlewareOptions {
  lazy: true
}

/**
 * What the lazy session middleware provides: `context.loadSession()` resolves to the request's
 * session, reading it on the first call; later calls resolve to the same session without another
 * read. Once loaded, the session is also `context.get(Session)`. Rejects with a `503` `HttpError`
 * when the storage fails.
 */
export interface SessionLoader<Values extends Data = Data, Flash extends Data = Data> {
  readonly loadSession: () => Promise<Session<Values, Flash>>
}

const SessionLoaderKey = createContextKey<() => Promise<Session>>()

/**
 * An unqualified `private` or a `no-store` directive. Checked here so that a bad option fails at
 * startup; `commitSession()` checks it again, against the full `Cache-Control` grammar, at saves.
 */
const privateDirective = /(?:^|,)\s*(?:private|no-store)\s*(?:,|$)/i

/**
 * Middleware that reads the session before the handler and saves it after: the session is
 * `context.session` (typed from the storage's schema) and `context.get(Session)`.
 *
 * - A request without the session cookie reads nothing from storage; a session that the handler
 *   does not change is not saved and sends no `Set-Cookie`.
 * - With `{ lazy: true }` the session is read only when the handler calls
 *   `await context.loadSession()`: a request that never calls it does no session work.
 * - Nothing is saved when the handler throws or the request is aborted, nor for a `HEAD` request
 *   (a flash message read there stays for the `GET`).
 * - Saving is `commitSession()` from `@x/session`: the cookie goes on a new `Response` (the
 *   handler's own is never changed, so immutable headers are fine, and a module-level constant
 *   with a `null` body can answer everyone), with `Cache-Control: private, no-store` unless it has
 *   one, and `Secure` when `context.url` is `https:` (unless the cookie was created with `secure:
 *   false`). A response a shared cache may store (a `Cache-Control` without an unqualified
 *   `private` or `no-store`, such as `public`, `max-age=600` or `no-cache`, or a
 *   `CDN-Cache-Control`/`Surrogate-Control` allowing it) never carries the cookie: a renewal
 *   waits, a changed session is an error (500), and nothing is saved.
 * - It sees the response its `next()` returns: a middleware listed before it that adds caching
 *   headers after its own `next()` does so behind its back. List `session()` after such
 *   middleware, so that it runs inside them.
 * - When the storage fails (a disk or network error), the request fails with `503 Service
 *   Unavailable` rather than going on with an empty session that would sign the user out; the
 *   router's `onError` receives the error to log. A session too large for its cookie
 *   (`SessionTooLargeError`) or a value that cannot be serialized is a bug in the app: a `500`.
 *
 * @example
 * const cookie = createCookie('__Host-session', { secrets: [process.env.SESSION_SECRET], secure: true })
 * const router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
 * router.get('/', ({ session }) => new Response(`Hello ${session.get('name') ?? 'stranger'}`))
 * @throws {TypeError} when the cookie is not signed (an unsigned session cookie can be forged),
 * or for a `cacheControl` option that would let shared caches store the cookie.
 */
export function session<Values extends Data, Flash extends Data>(
  cookie: Cookie,
  storage: SessionStorage<Values, Flash>,
  options: LazySessionMiddlewareOptions,
): Middleware<SessionLoader<Values, Flash>>
export function session<Values extends Data, Flash extends Data>(
  cookie: Cookie,
  storage: SessionStorage<Values, Flash>,
  options?: SessionMiddlewareOptions & { lazy?: false },
): Middleware<{ readonly session: Session<Values, Flash> }>
export function session(
  cookie: Cookie,
  storage: SessionStorage,
  options: SessionMiddlewareOptions = {},
): Middleware<object> {
  let commitWith: CommitWith = { cookie, storage, cacheControl: checkOptions(cookie, options) }

  // The request's own headers: `context.headers` would copy them all to read one.
  let parseCookie = (context: RequestContext<AnyParams>) =>
    cookie.parse(context.request.headers.get('Cookie'))

  if (options.lazy === true) {
    return lazySessionMiddleware(
      async (context) => {
        let cookieValue = await parseCookie(context)
        try {
          return await storage.read(cookieValue)
        } catch (error) {
          throw unavailable(error)
        }
      },
      (context, current, response) => save(commitWith, context, current, response),
    )
  }

  // Not an async function of its own for the read, nor one awaiting the save: each would be an
  // async frame suspended on every request (about 0.7 KB allocated per request for the two,
  // bench/allocations.ts).
  return async function sessionMiddleware(context, next) {
    refuseSecondSession(context)
    let cookieValue = await parseCookie(context)
    let current: Session
    try {
      current = await storage.read(cookieValue)
    } catch (error) {
      throw unavailable(error)
    }
    context.set(SessionKey, current, { property: 'session' })
    return save(commitWith, context, current, await next())
  }
}

/** What every commit of one middleware takes: its cookie, storage and `Cache-Control`. */
type CommitWith = Pick<CommitSessionOptions, 'cookie' | 'storage' | 'cacheControl'>

/**
 * The lazy middleware (`{ lazy: true }`): `context.loadSession()` reads the session with `read` on
 * its first call; after the handler, a session that was loaded is saved with `save`.
 */
function lazySessionMiddleware(
  read: (context: RequestContext<AnyParams>) => Promise<Session>,
  save: (
    context: RequestContext<AnyParams>,
    current: Session,
    response: Response,
  ) => Promise<Response>,
): Middleware<object> {
  return async function lazySessionMiddleware(context, next) {
    refuseSecondSession(context)
    let loading: Promise<Session> | undefined
    let loadSession = () => {
      if (loading === undefined) {
        loading = read(context).then((current) => {
          context.set(SessionKey, current)
          return current
        })
        // Handled here too: a handler that starts a load and fails before awaiting it must not
        // leave an unhandled rejection (which ends a Node process by default).
        loading.catch(() => {})
      }
      return loading
    }
    context.set(SessionLoaderKey, loadSession, { property: 'loadSession' })

    let response = await next()
    if (loading === undefined) return response
    let current = await loading.catch(() => undefined)
    // A load that failed reached the handler as a 503; there is nothing to save.
    return current === undefined ? response : save(context, current, response)
  }
}

/**
 * Saves `current` and gives the response to send (`commitSession`), or `response` itself when the
 * request was aborted. Rejects with a 503 `HttpError` when the storage failed, and with the app's
 * own error otherwise (see {@link saveFailure}).
 *
 * @throws {Error} when another middleware or the handler replaced the session.
 */
function save(
  commitWith: CommitWith,
  context: RequestContext<AnyParams>,
  current: Session,
  response: Response,
): Promise<Response> {
  let commit = commitOptions(commitWith, context, current, response)
  if (commit === undefined) return Promise.resolve(response)
  return commitSession(context.request, response, current, commit).catch(rethrowSaveFailure)
}

/**
 * How to commit `current` with `response`; `undefined` when nothing is to be saved (the request
 * was aborted).
 *
 * @throws {Error} when another middleware or the handler replaced the session.
 */
function commitOptions(
  commitWith: CommitWith,
  context: RequestContext<AnyParams>,
  current: Session,
  response: Response,
): CommitSessionOptions | undefined {
  // Not made here when still unmade: the steps settled on microtasks alone, so no event aborted it.
  if (isRequestAborted(context)) return undefined
  if (context.get(SessionKey) !== current) {
    throw new Error(
      'session(): the session was replaced by another middleware or handler; not saving it',
    )
  }
  return {
    cookie: commitWith.cookie,
    storage: commitWith.storage,
    cacheControl: commitWith.cacheControl,
    // context.url, not request.url: a trusted proxy middleware may have set the scheme.
    https: () => isHttpsRequest(context),
    // A response the router or its helpers made is copied from its body, not its stream.
    madeWith: madeWith(response),
  }
}

/** The creation-time checks; gives the `Cache-Control` to add. */
function checkOptions(cookie: Cookie, options: SessionMiddlewareOptions): string | false {
  if (!cookie.signed) {
    throw new TypeError(
      `session(): the cookie "${cookie.name}" must be signed; create it with createCookie(name, { secrets: [...] })`,
    )
  }
  if (!cookie.httpOnly) {
    console.warn(
      `session(): the cookie "${cookie.name}" is not HttpOnly, so page scripts can read it`,
    )
  }
  let cacheControl = options.cacheControl ?? 'private, no-store'
  if (cacheControl !== false && !privateDirective.test(cacheControl)) {
    throw new TypeError(
      `session(): cacheControl ${JSON.stringify(cacheControl)} would let shared caches store the session cookie; it needs an unqualified \`private\` or \`no-store\` (or false to add none)`,
    )
  }
  return cacheControl
}

function refuseSecondSession(context: RequestContext<AnyParams>): void {
  if (context.has(SessionKey) || context.has(SessionLoaderKey)) {
    throw new Error('session(): this request already has a session; refusing to replace it')
  }
}

/**
 * What a failed commit throws: an outage is a 503; anything else (a session too large for its
 * cookie, a value devalue cannot serialize, a changed session on a public response) is the app's
 * bug, a 500, thrown as it is.
 */
function saveFailure(error: unknown): unknown {
  return error instanceof SessionStorageError ? unavailable(error.cause) : error
}

function rethrowSaveFailure(error: unknown): never {
  throw saveFailure(error)
}

function unavailable(cause: unknown): HttpError {
  return new HttpError(503, 'Service Unavailable: the session storage failed', { cause })
}
