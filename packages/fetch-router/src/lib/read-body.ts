import { HttpError } from './http-error.ts'

/**
 * Reads a request body into memory, refusing more than `limit` bytes with a `413` before or while
 * reading (a `Content-Length` that lies is caught by counting).
 *
 * @throws {HttpError} 413 when the body is larger than `limit`.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  let declared = Number(request.headers.get('Content-Length') ?? '0')
  if (declared > limit) throw tooLarge(limit)
  if (request.body === null) return new Uint8Array(0)
  let reader = request.body.getReader()
  let chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let { done, value } = await reader.read()
    if (done || value === undefined) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  let body = new Uint8Array(size)
  let offset = 0
  for (let chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `Content Too Large: the body may hold at most ${limit} bytes`)
}
