import { makeResponse } from './made-responses.ts'

/** Options for {@link HttpError}. */
export interface HttpErrorOptions {
  /** Headers sent with the error response, e.g. `WWW-Authenticate` for a 401. */
  headers?: HeadersInit
  /** The underlying error, kept for logging; never sent to the client. */
  cause?: unknown
}

/**
 * An error that knows its HTTP response. Throw it from a handler or middleware and the router
 * answers with {@link HttpError.toResponse} instead of a 500; middleware can still catch it around
 * `await next()` on the way up.
 *
 * @example
 * throw new HttpError(404, `No book ${context.params.id}`)
 */
export class HttpError extends Error {
  /** The response status, 400 to 599. */
  readonly status: number
  /** Headers sent with the response. */
  readonly headers: Headers

  /**
   * @param status The response status: an integer from 400 to 599.
   * @param message The plain-text response body. Default: the status text, e.g. `Not Found`.
   * @throws {RangeError} when `status` is not an integer from 400 to 599.
   */
  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${status}`)
    }
    super(message ?? statusText(status), { cause: options.cause })
    this.name = 'HttpError'
    this.status = status
    this.headers = new Headers(options.headers)
  }

  /** The response for this error: its status, headers and message as a plain-text body. */
  toResponse(): Response {
    let headers = new Headers(this.headers)
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'text/plain; charset=utf-8')
    return makeResponse(this.message, { status: this.status, headers })
  }
}

const statusTexts: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The standard reason phrase for a status, or `Error <status>` for one without a common name. */
export function statusText(status: number): string {
  return statusTexts[status] ?? `Error ${status}`
}
