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

/**
 * Bytes appended at the end and dropped from the front, in one array that doubles when full, so
 * a body that arrives a byte at a time still costs linear time.
 */
export class ByteQueue {
  #store = new Uint8Array(1024)
  #start = 0
  #end = 0

  /** The bytes held, as a view that the next {@link ByteQueue.push} may invalidate. */
  get bytes(): Uint8Array {
    return this.#store.subarray(this.#start, this.#end)
  }

  /** How many bytes are held. */
  get length(): number {
    return this.#end - this.#start
  }

  /** Appends a copy of `bytes`. */
  push(bytes: Uint8Array): void {
    if (this.#end + bytes.byteLength > this.#store.byteLength) {
      let length = this.length
      let size = this.#store.byteLength
      while (size < (length + bytes.byteLength) * 2) size *= 2
      if (size === this.#store.byteLength) {
        // Room enough once the dropped bytes are gone: move the rest to the front.
        this.#store.copyWithin(0, this.#start, this.#end)
      } else {
        let store = new Uint8Array(size)
        store.set(this.bytes)
        this.#store = store
      }
      this.#start = 0
      this.#end = length
    }
    this.#store.set(bytes, this.#end)
    this.#end += bytes.byteLength
  }

  /** Drops the first `count` bytes. */
  drop(count: number): void {
    this.#start = Math.min(this.#end, this.#start + Math.max(0, count))
  }
}
