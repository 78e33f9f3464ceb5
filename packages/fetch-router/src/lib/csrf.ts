import type { StandardSchemaV1 } from '@standard-schema/spec'
import { type Session, Session as SessionKey, SessionValueError } from '@x/session'
import { createCsrfSecret, csrfTokenMatches, isCsrfSecret, maskCsrfSecret } from './csrf-token.ts'
import { HttpError } from './http-error.ts'
import type { Middleware } from './middleware.ts'
import { type AnyParams, createContextKey, type RequestContext } from './request-context.ts'
import { submittedCsrfToken } from './submitted-csrf-token.ts'
import { compileExemption, type Exemption, isUnsafeRequest } from './unsafe-request.ts'

/** Options for {@link csrf}. */
export interface CsrfOptions {
  /**
   * The session key that keeps the secret. With a session schema, declare it there with
   * {@link csrfSecretSchema}: `values: { csrf: csrfSecretSchema, ... }`. Default `'csrf'`.
   */
  key?: string
  /** The form field that carries the token in form posts. Default `'_csrf'`. */
  fieldName?: string
  /**
   * The request header that carries the token (for `fetch()` calls); a request that sends it has
   * no body read at all. Must be a valid header name (a `TypeError` at creation otherwise).
   * Default `'X-CSRF-Token'`.
   */
  headerName?: string
  /**
   * Routes that take unsafe requests without a token (webhooks): pathname patterns in the
   * router's syntax, matched exactly as written, or a function of the context. Default: none.
   */
  exempt?: Exemption
  /**
   * How far into a form body `csrf()` reads looking for the token field, in bytes: it stops as
   * soon as that field ends, and answers `413` when it has not ended within this many bytes. So
   * put the hidden field first in the form; an upload whose token field would come later must
   * send the token in the header instead. The handler still reads the whole body itself. A
   * positive integer (`NaN`, `Infinity`, `0`, `-1` or `'1mb'` is a `TypeError` at creation).
   * Default `1_048_576` (1 MiB).
   */
  maxBodySize?: number
}

/** What {@link csrf} provides: `context.csrfToken()`, a new masked token at every call. */
export interface CsrfTokenProvider {
  /**
   * A token for this session, for a hidden form field (named `fieldName`, default `_csrf`) or the
   * `X-CSRF-Token` header. Each call masks the secret with fresh random bytes, so no two tokens
   * look alike, yet all verify for this session. Creates the session's secret on first use (the
   * session is then saved and its cookie sent), and a new one once the session id changed
   * (`regenerateId()` at login), so a token from before login is refused after it.
   *
   * @throws {Error} when the request has no session loaded (put `session()` before `csrf()`; in
   * lazy mode, `await context.loadSession()` first).
   */
  readonly csrfToken: () => string
}

/**
 * The Standard Schema of the value `csrf()` keeps in the session: declare it in a session schema,
 * under the middleware's `key`, so the secret may be stored (`values: { csrf: csrfSecretSchema }`).
 */
export const csrfSecretSchema: StandardSchemaV1<string> = {
  '~standard': {
    version: 1,
    vendor: '@x/fetch-router',
    validate: (value) =>
      typeof value === 'string' && parseStored(value) !== undefined
        ? { value }
        : { issues: [{ message: 'Expected a CSRF secret made by csrf()' }] },
  },
}

const TokenKey = createContextKey<() => string>()

/**
 * Middleware for session-bound CSRF tokens, for what {@link crossOrigin} cannot cover: forms
 * embedded on trusted other origins, browsers that send neither `Sec-Fetch-Site` nor `Origin`.
 * It provides `context.csrfToken()` to put a token in each form (or a header), and refuses an
 * unsafe request (any method but `GET`, `HEAD` and `OPTIONS`, by the method sent or
 * `context.method`) whose token is missing or was not made for this session: `403` with a short
 * plain-text body, thrown as an {@link HttpError}, before the handler runs and with nothing saved.
 *
 * A session that holds no secret (no token was ever made for it, or its id changed since) is
 * refused at once, with its body unread. Otherwise the token is read from the `X-CSRF-Token`
 * header, or else from the `_csrf` field of an `application/x-www-form-urlencoded` or
 * `multipart/form-data` body, read from a copy and only up to that field (of a multipart body,
 * part headers only, and the field must be among the first 1000 parts): the handler and
 * `validate()` still read the whole body. A body that stalls before the field stalls the request
 * until the client ends it or your server's request timeout aborts it. The secret lives in the
 * session, so every storage works (cookie storage included) and it ends with the session.
 * Requires `session()` before it, and goes after {@link crossOrigin} and any method override.
 *
 * @example
 * const router = createRouter({ middleware: [session(cookie, storage), csrf()] })
 * router.get('/settings', ({ csrfToken }) =>
 *   html(`<form method="post"><input type="hidden" name="_csrf" value="${csrfToken()}">…</form>`),
 * )
 * @throws {TypeError} at creation when an option is invalid.
 */
export function csrf(options: CsrfOptions = {}): Middleware<CsrfTokenProvider> {
  let key = checkName(options.key ?? 'csrf', 'key')
  let fieldName = checkName(options.fieldName ?? '_csrf', 'fieldName')
  let headerName = checkName(options.headerName ?? 'X-CSRF-Token', 'headerName')
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(headerName)) {
    throw new TypeError(`csrf(): headerName ${JSON.stringify(headerName)} is not a header name`)
  }
  let maxBodySize = checkSize(options.maxBodySize ?? 1_048_576)
  let isExempt = compileExemption(options.exempt, 'csrf()')

  function secretOf(session: Session): string | undefined {
    let stored = parseStored(session.get(key))
    return stored !== undefined && stored.sessionId === session.id ? stored.secret : undefined
  }

  function issueToken(context: RequestContext<AnyParams>): string {
    let session = context.get(SessionKey)
    if (session === undefined) {
      throw new Error(
        'csrfToken(): this request has no session loaded: put session() before csrf() (lazy mode: await loadSession() first)',
      )
    }
    let secret = secretOf(session)
    if (secret === undefined) {
      secret = createCsrfSecret()
      store(session, key, `${secret}:${session.id}`)
    }
    return maskCsrfSecret(secret)
  }

  return async function csrfMiddleware(context, next) {
    context.set(TokenKey, () => issueToken(context), { property: 'csrfToken' })
    if (!isUnsafeRequest(context) || isExempt(context)) return next()
    // No secret, no token can match: answer before reading a byte of the body.
    let secret = secretOf(await loadSession(context))
    if (secret === undefined) throw new HttpError(403, 'Forbidden: invalid CSRF token')
    let token = await submittedCsrfToken(context, headerName, fieldName, maxBodySize)
    if (token === undefined) throw new HttpError(403, 'Forbidden: missing CSRF token')
    if (!csrfTokenMatches(token, secret)) throw new HttpError(403, 'Forbidden: invalid CSRF token')
    return next()
  }
}

/** The stored value `<secret>:<session id>`, split; `undefined` for anything else. */
function parseStored(value: unknown): { secret: string; sessionId: string } | undefined {
  if (typeof value !== 'string') return undefined
  let colon = value.indexOf(':')
  let secret = value.slice(0, colon)
  let sessionId = value.slice(colon + 1)
  if (colon === -1 || !isCsrfSecret(secret) || sessionId === '') return undefined
  return { secret, sessionId }
}

function store(session: Session, key: string, value: string): void {
  try {
    session.set(key, value)
  } catch (error) {
    if (error instanceof SessionValueError && error.key === key) {
      throw new TypeError(
        `csrf(): the session schema refuses the key "${key}": declare it with { ${key}: csrfSecretSchema } in schema.values`,
        { cause: error },
      )
    }
    throw error
  }
}

async function loadSession(context: RequestContext<AnyParams>): Promise<Session> {
  let current = context.get(SessionKey)
  if (current !== undefined) return current
  let loader = (context as { loadSession?: unknown }).loadSession
  if (typeof loader === 'function') return (await loader()) as Session
  throw new Error('csrf(): this request has no session: put session() before csrf()')
}

function checkSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    let shown = typeof value === 'string' ? JSON.stringify(value) : String(value)
    throw new TypeError(
      `csrf(): maxBodySize must be a positive integer number of bytes, got ${shown}`,
    )
  }
  return value
}

function checkName(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`csrf(): ${option} must be a non-empty string`)
  }
  return value
}
