import { HttpError } from './http-error.ts'
import type { AnyParams, RequestContext } from './request-context.ts'

/**
 * The CSRF token a request carries: the `headerName` header, or else the `fieldName` field of an
 * `application/x-www-form-urlencoded` or `multipart/form-data` body (a form already parsed into
 * `context.get(FormData)`, or a copy of the body: the handler still reads the original).
 * `undefined` when there is none, or the form cannot be parsed.
 *
 * @throws {HttpError} 413 when the form body is larger than `limit` bytes.
 * @throws {Error} when the body was consumed before and no parsed form was kept.
 */
export async function submittedCsrfToken(
  context: RequestContext<AnyParams>,
  headerName: string,
  fieldName: string,
  limit: number,
): Promise<string | undefined> {
  return headerToken(context, headerName) ?? (await formToken(context, fieldName, limit))
}

function headerToken(context: RequestContext<AnyParams>, name: string): string | undefined {
  let value = context.request.headers.get(name)?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** The token field of a form body, read from a copy of the request; `undefined` if none. */
async function formToken(
  context: RequestContext<AnyParams>,
  fieldName: string,
  limit: number,
): Promise<string | undefined> {
  let contentType = context.request.headers.get('Content-Type') ?? ''
  let type = (contentType.split(';')[0] as string).trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    return undefined
  }
  let form = context.get(FormData)
  if (form === undefined) {
    if (context.request.bodyUsed) {
      throw new Error('csrf(): the request body was read before csrf() ran: put csrf() first')
    }
    let body = await readCopy(context.request, limit)
    try {
      form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData()
    } catch {
      return undefined
    }
  }
  let value = form.get(fieldName)
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Reads a copy of the request body, up to `limit` bytes (`413` past it), leaving the original to the
 * handler. (Not `readBody`: it awaits the cancel of a body past the limit, and the cancel of one
 * branch of a cloned body settles only once the other branch is cancelled too.)
 */
async function readCopy(request: Request, limit: number): Promise<ArrayBuffer> {
  let tooLarge = () =>
    new HttpError(413, `Content Too Large: the body may hold at most ${limit} bytes`)
  if (Number(request.headers.get('Content-Length') ?? '0') > limit) throw tooLarge()
  let body = request.clone().body
  if (body === null) return new ArrayBuffer(0)
  let reader = body.getReader()
  let chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let { done, value } = await reader.read()
    if (done || value === undefined) break
    size += value.byteLength
    if (size > limit) {
      reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  let copy = new Uint8Array(size)
  let offset = 0
  for (let chunk of chunks) {
    copy.set(chunk, offset)
    offset += chunk.byteLength
  }
  return copy.buffer
}
