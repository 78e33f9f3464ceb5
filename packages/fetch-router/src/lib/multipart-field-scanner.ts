import { ByteQueue, type FormFieldScanner } from './form-field-scanner.ts'

/** The most parts read looking for the field: the one sought must be among the first 1000. */
export const maxFormParts = 1000

// Part headers, or the sought field's value, longer than this are not from a browser's form.
const maxHeaderBytes = 16_384
const maxValueBytes = 16_384
// Spaces and tabs a sender may put after a delimiter, before its line ends.
const maxPaddingBytes = 1024

const crlf = new Uint8Array([0x0d, 0x0a])
const headerEnd = new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a])
const dash = 0x2d

type State = 'delimiter' | 'delimiter-line' | 'headers' | 'value'

/**
 * Finds the first field (not a file) named `name` in a `multipart/form-data` body, from the
 * `boundary` parameter of its `Content-Type` (`undefined` without one). Only part headers are
 * decoded; other parts' bodies are skipped unread.
 */
export function multipartFieldScanner(
  contentType: string,
  name: string,
): FormFieldScanner | undefined {
  let match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i.exec(contentType)
  let boundary = match?.[1] ?? match?.[2]
  return boundary === undefined ? undefined : new MultipartFieldScanner(boundary, name)
}

/**
 * The scanner {@link multipartFieldScanner} makes: a state machine over the bytes still unread,
 * which stops at the sought field, at the end of the form, or after {@link maxFormParts} parts.
 */
class MultipartFieldScanner implements FormFieldScanner {
  readonly #name: string
  // CRLF "--" boundary ends a part's body. The body is read as if a CRLF came before it, so the
  // first delimiter needs no case of its own.
  readonly #delimiter: Uint8Array
  readonly #decoder = new TextDecoder()
  // The bytes not yet consumed; starts with the CRLF that the first delimiter is read after.
  readonly #queue = new ByteQueue()
  // Where the search for the current state's marker goes on: bytes before it were searched.
  #searched = 0
  #state: State = 'delimiter'
  #parts = 0
  #answer: string | null | undefined

  constructor(boundary: string, name: string) {
    this.#name = name
    this.#delimiter = new TextEncoder().encode(`\r\n--${boundary}`)
    this.#queue.push(crlf)
  }

  write(bytes: Uint8Array): string | null | undefined {
    this.#queue.push(bytes)
    while (this.#answer === undefined && this.#step()) {}
    return this.#answer
  }

  end(): null {
    return null
  }

  /** Moves one state on; `false` when it needs more bytes first. */
  #step(): boolean {
    switch (this.#state) {
      case 'delimiter':
        return this.#toDelimiter()
      case 'delimiter-line':
        return this.#delimiterLine()
      case 'headers':
        return this.#headers()
      case 'value':
        return this.#value()
    }
  }

  /** Skips the preamble or a part's body, up to the next delimiter. */
  #toDelimiter(): boolean {
    let index = indexOfBytes(this.#queue.bytes, this.#delimiter)
    if (index === -1) {
      // Keep what could be the start of a delimiter cut by the chunk's end.
      this.#queue.drop(this.#queue.length - (this.#delimiter.byteLength - 1))
      return false
    }
    this.#consume(index + this.#delimiter.byteLength, 'delimiter-line')
    return true
  }

  /** After a delimiter: `--` ends the form; otherwise padding and a CRLF start a part. */
  #delimiterLine(): boolean {
    if (this.#queue.length < 2) return false
    let bytes = this.#queue.bytes
    if (bytes[0] === dash && bytes[1] === dash) return this.#settle(null)
    let index = this.#search(crlf)
    if (index === -1) return this.#queue.length > maxPaddingBytes ? this.#settle(null) : false
    if (!bytes.subarray(0, index).every((byte) => byte === 0x20 || byte === 0x09)) {
      return this.#settle(null)
    }
    this.#parts++
    if (this.#parts > maxFormParts) return this.#settle(null)
    this.#consume(index + 2, 'headers')
    return true
  }

  /** A part's headers: the sought field's value is read next, any other part is skipped. */
  #headers(): boolean {
    // A part without headers starts with the empty line that ends them.
    let bytes = this.#queue.bytes
    let none = bytes[0] === 0x0d && bytes[1] === 0x0a
    let end = none ? 0 : this.#search(headerEnd)
    if (end === -1) return this.#queue.length > maxHeaderBytes ? this.#settle(null) : false
    let headers = this.#decoder.decode(bytes.subarray(0, end))
    let sought = fieldNameOf(headers) === this.#name
    this.#consume(none ? 2 : end + 4, sought ? 'value' : 'delimiter')
    return true
  }

  /** The sought field's value, up to the next delimiter. */
  #value(): boolean {
    let index = this.#search(this.#delimiter)
    if (index === -1) {
      let tooLong = this.#queue.length > maxValueBytes + this.#delimiter.byteLength
      return tooLong ? this.#settle(null) : false
    }
    return this.#settle(this.#decoder.decode(this.#queue.bytes.subarray(0, index)))
  }

  /** The index of `marker` in the buffer, or `-1`; the next search starts where this one ended. */
  #search(marker: Uint8Array): number {
    let bytes = this.#queue.bytes
    let index = indexOfBytes(bytes, marker, this.#searched)
    if (index === -1) this.#searched = Math.max(0, bytes.byteLength - marker.byteLength + 1)
    return index
  }

  #consume(length: number, next: State): void {
    this.#queue.drop(length)
    this.#searched = 0
    this.#state = next
  }

  #settle(answer: string | null): false {
    this.#answer = answer
    return false
  }
}

/**
 * The `name` of a part's `Content-Disposition: form-data`; `undefined` for a file (it has a
 * `filename`) or a part without one. Browsers write `"` in names as `%22` and never escape with
 * a backslash, so a quoted value ends at the next `"`.
 */
function fieldNameOf(headers: string): string | undefined {
  for (let line of headers.split('\r\n')) {
    let colon = line.indexOf(':')
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue
    let value = line.slice(colon + 1)
    if (!/^\s*form-data\s*(?:;|$)/i.test(value)) return undefined
    let params = new Map<string, string>()
    for (let [, key, quoted, bare] of value.matchAll(
      /;\s*([^\s=;]+)\s*=\s*(?:"([^"]*)"|([^\s;]*))/g,
    )) {
      params.set((key as string).toLowerCase(), quoted ?? bare ?? '')
    }
    return params.has('filename') || params.has('filename*') ? undefined : params.get('name')
  }
  return undefined
}

/** The first index of `needle` in `haystack` from `from` on, or `-1`. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  let first = needle[0] as number
  let last = haystack.byteLength - needle.byteLength
  for (let index = haystack.indexOf(first, from); index !== -1 && index <= last; ) {
    let offset = 1
    while (offset < needle.byteLength && haystack[index + offset] === needle[offset]) offset++
    if (offset === needle.byteLength) return index
    index = haystack.indexOf(first, index + 1)
  }
  return -1
}
