import { type FormFieldScanner, joinBytes } from './form-field-scanner.ts'

const ampersand = 0x26

/**
 * Finds the first field named `name` in an `application/x-www-form-urlencoded` body, decoding
 * names as `URLSearchParams` does (`+` is a space, `%5Fcsrf` is `_csrf`). Each pair is looked at
 * once, and only a name long enough to decode to `name` is decoded, so a body of many tiny pairs
 * costs one pass over its bytes.
 */
export class UrlencodedFieldScanner implements FormFieldScanner {
  readonly #name: string
  readonly #decoder = new TextDecoder()
  // The bytes of the pair still open at the end of the last chunk.
  #open: Uint8Array = new Uint8Array(0)

  /** @param name The field to find. */
  constructor(name: string) {
    this.#name = name
  }

  write(bytes: Uint8Array): string | undefined {
    let start = 0
    for (let end = bytes.indexOf(ampersand); end !== -1; end = bytes.indexOf(ampersand, start)) {
      let pair = joinBytes(this.#open, bytes.subarray(start, end))
      this.#open = new Uint8Array(0)
      start = end + 1
      let value = this.#valueOf(pair)
      if (value !== undefined) return value
    }
    this.#open = joinBytes(this.#open, bytes.slice(start))
    return undefined
  }

  end(): string | null {
    return this.#valueOf(this.#open) ?? null
  }

  /** The pair's value if its name is the one sought. */
  #valueOf(pair: Uint8Array): string | undefined {
    if (pair.byteLength < this.#name.length) return undefined
    let text = this.#decoder.decode(pair)
    let equals = text.indexOf('=')
    let name = equals === -1 ? text : text.slice(0, equals)
    // Decoding never makes a name longer: a shorter one cannot be it.
    if (name.length < this.#name.length) return undefined
    if (name !== this.#name && !/[%+]/.test(name)) return undefined
    // After `&`: a leading `?` would be dropped as a query's, and in a form it is part of the name.
    let [entry] = new URLSearchParams(`&${text}`)
    return entry !== undefined && entry[0] === this.#name ? entry[1] : undefined
  }
}
