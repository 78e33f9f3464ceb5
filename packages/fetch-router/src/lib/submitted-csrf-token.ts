import { scanBody } from './form-field-scanner.ts'
import { maxFormParts, multipartFieldScanner } from './multipart-field-scanner.ts'
import type { AnyParams, RequestContext } from './request-context.ts'
import { UrlencodedFieldScanner } from './urlencoded-field-scanner.ts'

/**
 * The CSRF token a request carries: the `headerName` header (the body is then not read at all),
 * or else the first `fieldName` field of an `application/x-www-form-urlencoded` or
 * `multipart/form-data` body. The form comes from `context.get(FormData)` when a middleware
 * parsed it already, or else from a copy of the body, read only up to the end of that field (the
 * handler still reads the original whole): of a multipart form only part headers are parsed,
 * and the field must be among the first {@link maxFormParts} parts. `undefined` when there is no
 * token, an empty one, or the form is malformed.
 *
 * @throws {HttpError} 413 when `limit` bytes of the form were read and the field had not ended.
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

/** The token field of a form body; `undefined` if none. */
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
  let value: unknown
  let form = context.get(FormData)
  if (form !== undefined) {
    value = form.get(fieldName)
  } else {
    if (context.request.bodyUsed) {
      throw new Error('csrf(): the request body was read before csrf() ran: put csrf() first')
    }
    let scanner =
      type === 'multipart/form-data'
        ? multipartFieldScanner(contentType, fieldName)
        : new UrlencodedFieldScanner(fieldName)
    value = scanner === undefined ? null : await scanBody(context.request, scanner, limit)
  }
  return typeof value === 'string' && value !== '' ? value : undefined
}
