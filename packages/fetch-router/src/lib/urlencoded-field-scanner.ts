import { ByteQueue, type FormFieldScanner } from './form-field-scanner.ts'

const ampersand = 0x26
const equals = 0x3d
const percent = 0x25
const plus = 0x2b
// The sought field's value, longer than this, is not a token: it is answered as empty.
const maxValueBytes = 16_384

/**
 * Finds the first field named `name` in an `application/x-www-form-urlencoded` body, decoding
 * names as the URL standard does (`+` is a space, `%5Fcsrf` is `_csrf`). One pass over the bytes,
 * without decoding text: a name is read only as long as it could still decode to `name` (each
 * byte percent-encoded, three times as long), and other fields' values are skipped unread.
 */
export class UrlencodedFieldScanner implements FormFieldScanner {
  readonly #name: Uint8Array
  // The name read so far, in a buffer one byte longer than any name that could be the one sought.
  readonly #read: Uint8Array
  #readLength = 0
  #state: 'name' | 'value' | 'skip' = 'name'
  readonly #value = new ByteQueue()
  #valueTooLong = false

  /** @param name The field to find. */
  constructor(name: string) {
    this.#name = new TextEncoder().encode(name)
    this.#read = new Uint8Array(this.#name.byteLength * 3 + 1)
  }

  write(bytes: Uint8Array): string | undefined {
    let index = 0
    while (index < bytes.byteLength) {
      if (this.#state === 'skip') {
        let end = bytes.indexOf(ampersand, index)
        if (end === -1) return undefined
        this.#state = 'name'
        index = end + 1
      } else if (this.#state === 'value') {
        let end = bytes.indexOf(ampersand, index)
        this.#keepValue(bytes.subarray(index, end === -1 ? bytes.byteLength : end))
        return end === -1 ? undefined : this.#decodedValue()
      } else {
        let answer = this.#readName(bytes, index)
        if (typeof answer === 'string') return answer
        index = answer
      }
    }
    return undefined
  }

  end(): string | null {
    if (this.#state === 'value') return this.#decodedValue()
    return this.#state === 'name' && this.#isSought() ? '' : null
  }

  /** Reads a name from `start`: the index to go on from, or `''` for the sought name without `=`. */
  #readName(bytes: Uint8Array, start: number): number | string {
    let read = this.#read
    let limit = Math.min(bytes.byteLength, start + read.byteLength - this.#readLength)
    let end = start
    for (; end < limit; end++) {
      let byte = bytes[end] as number
      if (byte === ampersand || byte === equals) break
      read[this.#readLength++] = byte
    }
    if (end === bytes.byteLength) return end
    if (this.#readLength === this.#read.byteLength) {
      this.#readLength = 0
      this.#state = 'skip'
      return end
    }
    let sought = this.#isSought()
    this.#readLength = 0
    if (bytes[end] === ampersand) return sought ? '' : end + 1
    this.#state = sought ? 'value' : 'skip'
    return end + 1
  }

  /** Whether the name read decodes to the one sought, compared byte by byte as it decodes. */
  #isSought(): boolean {
    let name = this.#name
    // Decoding never makes a name longer: a shorter one cannot be it.
    if (this.#readLength < name.byteLength) return false
    let read = this.#read.subarray(0, this.#readLength)
    let matched = 0
    for (let index = 0; index < read.byteLength; index++) {
      let [byte, length] = decodedAt(read, index)
      if (byte !== name[matched]) return false
      matched++
      index += length - 1
    }
    return matched === name.byteLength
  }

  #keepValue(bytes: Uint8Array): void {
    this.#valueTooLong ||= this.#value.length + bytes.byteLength > maxValueBytes
    if (!this.#valueTooLong) this.#value.push(bytes)
  }

  #decodedValue(): string {
    return this.#valueTooLong ? '' : new TextDecoder().decode(percentDecoded(this.#value.bytes))
  }
}

/** `bytes` with `+` as a space and each `%` and two hex digits as the byte they write. */
function percentDecoded(bytes: Uint8Array): Uint8Array {
  let out = new Uint8Array(bytes.byteLength)
  let length = 0
  for (let index = 0; index < bytes.byteLength; index++) {
    let [byte, read] = decodedAt(bytes, index)
    out[length++] = byte
    index += read - 1
  }
  return out.subarray(0, length)
}

/** The byte that `bytes` decodes to at `index`, and how many bytes wrote it (1, or 3 for `%XX`). */
function decodedAt(bytes: Uint8Array, index: number): [byte: number, length: number] {
  let byte = bytes[index] as number
  if (byte === plus) return [0x20, 1]
  if (byte !== percent) return [byte, 1]
  let high = hexValue(bytes[index + 1])
  let low = hexValue(bytes[index + 2])
  return high === -1 || low === -1 ? [byte, 1] : [high * 16 + low, 3]
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  let lower = byte | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1
}
