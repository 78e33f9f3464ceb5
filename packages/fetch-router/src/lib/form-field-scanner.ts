import { HttpError } from './http-error.ts'

/**
 * Finds one field in a form body fed to it chunk by chunk, without parsing the rest of the form:
 * the reader stops as soon as the field is found or known to be absent.
 */
export interface FormFieldScanner {
  /**
   * Takes the next bytes of the body. Returns the field's value once it is complete, `null` once
   * the field is known to be absent (the form ended, was malformed, or too many fields came
   * before it), and `undefined` to ask for more.
   */
  write(bytes: Uint8Array): string | null | undefined
  /** Takes the end of the body: the field's value if it was the last, otherwise `null`. */
  end(): string | null
}

/**
 * Feeds a copy of the request body to `scanner`, at most `limit` bytes, and stops reading (and
 * cancels the copy) as soon as it has an answer: the original body stays whole for the handler.
 * `null` when the field is absent.
 *
 * @throws {HttpError} 413 when the first `limit` bytes were read without an answer.
 */
export async function scanBody(
  request: Request,
  scanner: FormFieldScanner,
  limit: number,
): Promise<string | null> {
  let body = request.clone().body
  if (body === null) return scanner.end()
  let reader = body.getReader()
  let size = 0
  try {
    for (;;) {
      let { done, value } = await reader.read()
      if (done || value === undefined) return scanner.end()
      let room = limit - size
      size += value.byteLength
      let answer = scanner.write(value.byteLength > room ? value.subarray(0, room) : value)
      if (answer !== undefined) return answer
      if (size > limit) {
        throw new HttpError(
          413,
          `Content Too Large: the CSRF token must come within the first ${limit} bytes of the form, or in a header`,
        )
      }
    }
  } finally {
    // Not awaited: the cancel of one branch of a cloned body settles only once the handler's
    // branch ends too. Without it, the copy would keep buffering what the handler reads.
    reader.cancel().catch(() => {})
  }
}

/** `bytes` after `head`, in one new array. */
export function joinBytes(head: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (head.byteLength === 0) return bytes
  let joined = new Uint8Array(head.byteLength + bytes.byteLength)
  joined.set(head)
  joined.set(bytes, head.byteLength)
  return joined
}
