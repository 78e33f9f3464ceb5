import { type CookieProperties, SetCookie } from '@remix-run/headers/set-cookie'
import { fromBase64Url, toBase64Url } from './base64url.ts'
import { CookieCrypto, minSecretLength } from './cookie-crypto.ts'
import { cookieValues } from './cookie-values.ts'
import { tailHash } from './edge-hash.ts'
import { NativeBuffer } from './native.ts'
import { TextCache } from './text-cache.ts'
import { decodeUtf8 } from './utf8.ts'
import { isWellFormed } from './well-formed.ts'

/** Options for {@link createCookie}: the `Set-Cookie` attributes and how values are protected. */
export interface CookieOptions extends CookieProperties {
  /**
   * Secrets that sign (or, with `encrypted`, encrypt) the value. The first signs new cookies; all
   * of them verify, so a new secret goes first and an old one stays until its cookies expired
   * (rotation). Each must be at least 32 characters: shorter ones can be guessed offline from a
   * single cookie. Default: none, an unsigned cookie (refused by session middleware).
   */
  secrets?: readonly string[]
  /**
   * Encrypt the value with AES-256-GCM (a key derived from each secret with HKDF-SHA256) instead of
   * signing it, so the client can neither read nor change it. Requires `secrets`. Default `false`.
   */
  encrypted?: boolean
  /**
   * Turns the value into cookie-safe text. Default: UTF-8 then base64url. Not with `encrypted`
   * (a `TypeError`): an encrypted value is its UTF-8 bytes sealed, cookie-safe already.
   */
  encode?: (value: string) => string
  /**
   * Reverses `encode`; a throw means an invalid cookie (`parse` returns `null`). Not with
   * `encrypted` (a `TypeError`), as `encode`.
   */
  decode?: (value: string) => string
  /** The `Path` attribute. Default `'/'`. */
  path?: string
  /** The `SameSite` attribute. Default `'Lax'`. */
  sameSite?: 'Strict' | 'Lax' | 'None'
  /** The `HttpOnly` attribute: hides the cookie from page scripts. Default `true`. */
  httpOnly?: boolean
  /** The `Max-Age` attribute, in seconds. Default: none (the cookie ends with the browser session). */
  maxAge?: number
}

/** The largest `Set-Cookie` value browsers keep, in bytes (name, value and attributes). */
export const maxCookieSize = 4096

/**
 * How many well-formed cookies of one name `parse` verifies at most (each costs an HMAC or a
 * decryption per secret). Browsers send a second or third only when cookies with the same name but
 * another path or domain exist; a long list of them is an attack. Candidates that cannot be a
 * signed or encrypted value are skipped without counting (when there are more than eight), so junk
 * cannot push the real cookie out.
 */
const maxCandidates = 8

/**
 * How many values a client sent that each of a cookie's caches keeps at most. Every entry a
 * request adds is alive at the engine's next young-generation collection, which copies it: under
 * load, with a session that changes on every request (its cookie value new each time), 1,024
 * entries a cache made those pauses about 2 ms on Node 26 against 0.8 ms with 256 (`--trace-gc`,
 * `pnpm bench`'s counter), and the p99 latency follows them. 256 still serves a client whose next
 * request comes within 128 to 256 of other clients' (a page's burst of requests). Values written
 * here are kept apart ({@link cachedWrittenValuesPerCookie}), so saves do not push these out.
 */
export const cachedValuesPerCookie = 256

/**
 * How many values written here each of a cookie's caches keeps at most, apart from those clients
 * sent, in the order they were written: a value written comes back with the client's next
 * request, found here when that request comes within 64 to 128 other writes (a redirect after a
 * form's POST, say, or clients sending requests one after the other: with 50 of them, each value
 * comes back after the other 49 wrote theirs), and once missed it is verified and kept with the
 * values clients sent. Most values a busy server writes never come back soon (a user's next click
 * comes after thousands of other requests): kept with the values read, in one cache of 256, 3 to
 * 4 times as much memory survived into the engine's old generation per request
 * (`--trace-gc-nvp`, `pnpm bench`'s counter with the cookie storage on Node 26: 92 to 102 bytes
 * against 25 to 33), and young-generation pauses took about 0.9 ms against 0.5 (medians). Kept
 * apart, 128 cost less than 64 under `pnpm bench`'s load of 50 connections (Node 26, a later run):
 * with 64, half the values came back after the older half was dropped, and were verified (and
 * parsed by the cookie storage) again; young-generation collections took 2.1 to 2.6 µs a request
 * against 1.0 to 1.6 µs with 128 (`--trace-gc`), and the server's CPU per request fell by 8 to 14%
 * (medians of three runs side by side). Their weight is bounded too (128 Ki characters for a
 * cookie's cache of verified values: a value and what it carries): of cookie values over about
 * 600 characters, fewer are kept (9 to 18 near the 4 KB limit; the cookie storage's cache of
 * parsed values, which weighs its values alone, keeps fewer of those over about 1.4 KB).
 */
export const cachedWrittenValuesPerCookie = 128

/**
 * How many characters at the end of a cookie value make its key in the cookie's cache. At most 43,
 * the length of a signature: the key of a value signed here is made from its signature alone.
 */
const verifiedKeyLength = 16

/**
 * The cache of valid values a cookie keeps with what they carry (see `Cookie.#verified`): at most
 * {@link cachedValuesPerCookie} it read and 512 Ki characters (values and what they carry) in
 * all, and apart from them at most {@link cachedWrittenValuesPerCookie} it wrote and 128 Ki
 * characters. Keyed by a hash of a value's last {@link verifiedKeyLength} characters (of its HMAC
 * when signed, of its tag when encrypted: about 94 random bits), not by a string, which Node 26
 * would add to its string table (see `edgeHash`, `tailHash`).
 */
const verifiedValues = {
  maxEntries: cachedValuesPerCookie,
  maxWrittenEntries: cachedWrittenValuesPerCookie,
  maxWeight: 512 * 1024,
  maxWrittenWeight: 128 * 1024,
  keyOf: (candidate: string) => tailHash(candidate, verifiedKeyLength),
  weigh: (candidate: string, value: string) => candidate.length + value.length,
}

/** The `RangeError` `serialize` throws for a header browsers would drop, with its size. */
export class CookieSizeError extends RangeError {
  /** The header's size in bytes. */
  readonly size: number

  constructor(message: string, size: number) {
    super(message)
    this.size = size
  }
}

/** A signed value ends in `.` and a canonical base64url HMAC-SHA256: 43 characters, the last one
 * holding 4 bits. Sticky, tested at `length - 44`, so it reads 44 characters whatever the length. */
const signatureShape = /\.[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/y
/** An encrypted value is base64url of at least 12 bytes of IV and 16 of tag: 38 characters. */
const sealedShape = /^[A-Za-z0-9_-]{38,}$/
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const cookieOctets = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const attributeUnsafe = /[;\x00-\x1F\x7F]/
const encoder = new TextEncoder()

let optedOutOfSecure: (cookie: Cookie) => boolean

/**
 * An HTTP cookie: reads its value from a `Cookie` header and writes `Set-Cookie` headers, signing
 * or encrypting the value when it has secrets. Its attributes read through one getter each, as on
 * Remix's `Cookie`.
 */
export class Cookie {
  static {
    optedOutOfSecure = (cookie) => #attributes in cookie && cookie.#attributes.secure === false
  }

  /** The cookie name. */
  readonly name: string
  /** The attributes written with every `Set-Cookie`. */
  #attributes: Readonly<CookieProperties>
  #crypto: CookieCrypto | undefined
  #encrypted: boolean
  #encode: (value: string) => string
  #decode: (value: string) => string
  #attributesText: string | undefined
  #secureAttributesText: string | undefined
  /**
   * Values found valid (verified, decrypted, or written here) with what they carry, so that a value
   * sent back unchanged is not verified again: only with secrets, and the default `encode` and
   * `decode` unless encrypted (a custom `decode` is called on every read). Only valid values go in,
   * so forgeries can neither grow it nor push real values out. A hit compares the value sent with a
   * remembered one, which takes longer for a longer common prefix; the key is a 30-bit hash of the
   * last 16 characters, which anyone can compute, so a value made to share another client's key
   * (one in 2³⁰ guesses, each costing its sender an HMAC here) would time the comparison with that
   * client's value: a few nanoseconds at most, below what a network shows. The secrets of a cookie
   * never change: new secrets are a new cookie, which starts with nothing remembered.
   */
  #verified: TextCache<string> | undefined
  /**
   * The key in `#verified` of the value `#protect` just signed with Node's crypto, made from the
   * signature (reading the value joined from payload and signature would make V8 copy it into one
   * string first), until `serialize` takes it, at once (see #takeSignedKey). A value signed by Web
   * Crypto, or encrypted, gets its key from its text.
   */
  #signedKey: number | undefined

  /**
   * @throws {TypeError} for a name that is not a token, an attribute that could inject others, a
   * secret shorter than 32 characters, `encrypted` without secrets or with `encode` or `decode`,
   * or a `__Host-`/`__Secure-` name whose attributes break the prefix rules.
   */
  constructor(name: string, options: CookieOptions = {}) {
    let { secrets = [], encrypted = false, encode, decode, ...attributes } = options
    if (typeof name !== 'string' || !tokenPattern.test(name)) {
      throw new TypeError(
        `Invalid cookie name ${JSON.stringify(name)}: use letters, digits and !#$%&'*+-.^_\`|~`,
      )
    }
    for (let secret of secrets) {
      if (typeof secret !== 'string' || secret.length < minSecretLength) {
        throw new TypeError(
          `Cookie "${name}": every secret must be at least ${minSecretLength} characters (a shorter one can be brute-forced offline from one cookie); generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
        )
      }
    }
    if (encrypted && secrets.length === 0) {
      throw new TypeError(`Cookie "${name}": encrypted cookies need secrets`)
    }
    if (encrypted && (encode !== undefined || decode !== undefined)) {
      throw new TypeError(
        `Cookie "${name}": encode and decode do not apply to an encrypted cookie (its value is sealed UTF-8, cookie-safe already); change the value before serialize() and after parse() instead`,
      )
    }
    let properties: CookieProperties = { path: '/', sameSite: 'Lax', httpOnly: true, ...attributes }
    if (properties.partitioned) properties.secure = true
    checkAttributes(name, properties)
    this.name = name
    this.#attributes = Object.freeze(properties)
    this.#crypto = secrets.length > 0 ? new CookieCrypto([...secrets]) : undefined
    this.#encrypted = encrypted
    this.#encode = encode ?? encodeText
    this.#decode = decode ?? decodeText
    let defaultCodec = encode === undefined && decode === undefined
    if (this.#crypto && (encrypted || defaultCodec)) this.#verified = new TextCache(verifiedValues)
  }

  /** Whether values are signed or encrypted with secrets. */
  get signed(): boolean {
    return this.#crypto !== undefined
  }

  /** Whether values are encrypted (and so unreadable by the client). */
  get encrypted(): boolean {
    return this.#encrypted
  }

  /** The `HttpOnly` attribute. */
  get httpOnly(): boolean {
    return this.#attributes.httpOnly ?? false
  }

  /** The `Secure` attribute. */
  get secure(): boolean {
    return this.#attributes.secure ?? false
  }

  /** The `SameSite` attribute. */
  get sameSite(): 'Strict' | 'Lax' | 'None' | undefined {
    return this.#attributes.sameSite
  }

  /** The `Path` attribute. */
  get path(): string | undefined {
    return this.#attributes.path
  }

  /** The `Domain` attribute. */
  get domain(): string | undefined {
    return this.#attributes.domain
  }

  /** The `Max-Age` attribute, in seconds. */
  get maxAge(): number | undefined {
    return this.#attributes.maxAge
  }

  /** The `Expires` attribute. */
  get expires(): Date | undefined {
    return this.#attributes.expires
  }

  /** The `Partitioned` attribute. */
  get partitioned(): boolean {
    return this.#attributes.partitioned ?? false
  }

  /**
   * This cookie's value from a `Cookie` header: verified (or decrypted) and decoded. When the
   * header holds several cookies of this name, they are tried in header order and the first valid
   * one wins. When there are more than eight, values that cannot be signed or encrypted ones (wrong
   * length or characters, checked without crypto) are skipped, and of the others the first eight
   * are verified and any after them ignored: a header stuffed with cookies of this name costs at
   * most eight verifications (or decryptions) per secret, and junk cannot push the real one out.
   * Never throws: a missing, tampered, truncated, undecodable or oversized (over 4096 characters)
   * value gives `null`; an empty value gives `''` when no valid one came with it. A signed or
   * encrypted value seen valid recently (or written by this cookie) is not verified again.
   */
  async parse(cookieHeader: string | null | undefined): Promise<string | null> {
    if (!cookieHeader?.includes(this.name)) return null
    let candidates = cookieValues(cookieHeader, this.name)
    // Up to eight candidates cost at most eight verifications anyway: the shape is screened only
    // beyond that, so the usual header (one cookie of the name) does no extra work.
    let screen = candidates.length > maxCandidates
    let tried = 0
    for (let candidate of candidates) {
      if (candidate === '' || candidate.length > maxCookieSize) continue
      if (screen && !this.#hasProtectedShape(candidate)) continue
      if (++tried > maxCandidates) break
      let known = this.#verified?.get(candidate)
      if (known !== undefined) return known
      let value = this.#unprotect(candidate)
      if (value instanceof Promise) value = await value
      if (value !== null) return value
    }
    // An empty cookie counts only when no valid one came with it: a planted `name=` must not
    // hide the real cookie.
    return candidates.includes('') ? '' : null
  }

  /**
   * A `Set-Cookie` header value for `value`, signed or encrypted when the cookie has secrets.
   * `props` override the cookie's attributes for this header. An empty `value` writes a header that
   * deletes the cookie (`Max-Age=0` and an `Expires` in the past).
   *
   * @throws {TypeError} when a custom `encode` returns characters a cookie value cannot hold, or an
   * attribute in `props` could inject others.
   * @throws {RangeError} when the header would exceed 4096 bytes, which browsers drop.
   */
  async serialize(value: string, props?: CookieProperties): Promise<string> {
    let header: string
    let written = ''
    // The value's key in `#verified`, when known without reading it (see #signedKey).
    let key: number | undefined
    let secureOnly = props !== undefined && isSecureOnly(props)
    if ((props === undefined || secureOnly) && value !== '') {
      // The usual cases, a value with the cookie's own attributes (plus Secure over HTTPS), reuse
      // their text.
      let protecting = this.#protect(value)
      key = this.#takeSignedKey()
      written = protecting instanceof Promise ? await protecting : protecting
      header = `${this.name}=${written}${this.#attributeText(secureOnly)}`
    } else {
      let properties: CookieProperties = { ...this.#attributes, ...props }
      if (props) checkAttributes(this.name, properties)
      if (value === '') {
        properties.maxAge = 0
        properties.expires = new Date(0)
      }
      if (value !== '') {
        let protecting = this.#protect(value)
        key = this.#takeSignedKey()
        written = await protecting
      }
      header = new SetCookie({ ...properties, name: this.name, value: written }).toString()
    }
    // Counting UTF-8 bytes costs an encoding: needed only when the characters alone come close.
    let size = header.length * 3 <= maxCookieSize ? header.length : encoder.encode(header).length
    if (size > maxCookieSize) {
      throw new CookieSizeError(
        `Cookie "${this.name}" would be ${size} bytes, over the ${maxCookieSize} bytes browsers keep: store less in it, or keep the data in a server-side session storage (memory, file, Redis) and only an id in the cookie`,
        size,
      )
    }
    // Only a header that is sent: values refused for their size do not push out the ones clients
    // still hold.
    if (written !== '') this.#remember(written, value, key)
    return header
  }

  #attributeText(secure: boolean): string {
    if (secure) {
      this.#secureAttributesText ??= this.#writeAttributes({ ...this.#attributes, secure: true })
      return this.#secureAttributesText
    }
    this.#attributesText ??= this.#writeAttributes(this.#attributes)
    return this.#attributesText
  }

  // Written once by @remix-run/headers; a protected value needs no quoting (cookie-octets only).
  #writeAttributes(properties: CookieProperties): string {
    return new SetCookie({ ...properties, name: this.name, value: 'v' })
      .toString()
      .slice(this.name.length + 2)
  }

  // Synchronous unless a Web Crypto call is needed: each await costs a hop per request.
  #protect(value: string): string | Promise<string> {
    if (this.#encrypted) {
      return (this.#crypto as CookieCrypto).encrypt(this.name, value)
    }
    let encoded = this.#encode(value)
    // base64url, the default encoding, is cookie-safe by construction: only a custom one is checked.
    if (this.#encode !== encodeText && !cookieOctets.test(encoded)) {
      throw new TypeError(
        `Cookie "${this.name}": encode() returned characters a cookie value cannot hold`,
      )
    }
    if (this.#crypto === undefined) return encoded
    let signature = this.#crypto.signature(this.name, encoded)
    if (signature instanceof Promise) return signature.then((mac) => `${encoded}.${mac}`)
    if (this.#verified !== undefined) this.#signedKey = tailHash(signature, verifiedKeyLength)
    return `${encoded}.${signature}`
  }

  /**
   * The key in `#verified` of the value `#protect` just gave, when it signed it with Node's crypto;
   * else `undefined`. Call it right after each `#protect`, before any `await`: `#protect` sets the
   * key of the value it signs, and nothing else, so the key taken is that value's.
   */
  #takeSignedKey(): number | undefined {
    let key = this.#signedKey
    this.#signedKey = undefined
    return key
  }

  /**
   * Remembers that the cookie value `written` carries `value`, when reading it back gives exactly
   * `value` (UTF-8 replaces a lone surrogate). `key`: its key in `#verified`, when already known.
   */
  #remember(written: string, value: string, key: number | undefined): void {
    // UTF-8 cannot carry a lone surrogate: the value read back would differ.
    if (this.#verified !== undefined && isWellFormed(value)) {
      this.#verified.setWritten(written, value, key)
    }
  }

  /**
   * Whether `candidate` can be a value this cookie wrote: with secrets, `false` for anything
   * without the shape of a signed or encrypted value. Costs no crypto.
   */
  #hasProtectedShape(candidate: string): boolean {
    if (this.#crypto === undefined) return true
    if (this.#encrypted) return sealedShape.test(candidate) && candidate.length % 4 !== 1
    signatureShape.lastIndex = candidate.length - 44
    return signatureShape.lastIndex >= 0 && signatureShape.test(candidate)
  }

  #unprotect(candidate: string): string | null | Promise<string | null> {
    if (this.#encrypted) {
      return (this.#crypto as CookieCrypto)
        .decrypt(this.name, candidate)
        .then((plain) => this.#verifiedValue(candidate, plain))
    }
    let encoded = this.#crypto ? this.#crypto.verify(this.name, candidate) : candidate
    if (encoded instanceof Promise) {
      return encoded.then((text) => this.#verifiedValue(candidate, this.#decoded(text)))
    }
    return this.#verifiedValue(candidate, this.#decoded(encoded))
  }

  #decoded(encoded: string | null): string | null {
    if (encoded === null) return null
    try {
      return this.#decode(encoded)
    } catch {
      return null
    }
  }

  /** Remembers a valid `candidate` with what it carries; gives `value` (`null`: not valid). */
  #verifiedValue(candidate: string, value: string | null): string | null {
    if (value !== null) this.#verified?.set(detached(candidate), value)
    return value
  }
}

/**
 * A copy of `text` that holds nothing else. A cookie value is cut from its `Cookie` header, and
 * the engine may keep the whole header alive for it (16 KB or more, with a dozen other cookies): a
 * cache that weighs its entries in characters would not see it. Paid when a value is verified,
 * beside an HMAC or a decryption.
 */
function detached(text: string): string {
  // Joining makes a new string; cutting it copies the characters into one that owns them.
  return ` ${text}`.slice(1)
}

/**
 * Whether `cookie` was made with `secure: false` (not merely without `secure`): `commitSession`
 * then sends it without `Secure` even over HTTPS. `false` for an object that is not a
 * {@link Cookie} instance.
 */
export function isSecureOptOut(cookie: Cookie): boolean {
  return optedOutOfSecure(cookie)
}

/**
 * Creates a cookie. Sessions need a signed one:
 *
 * @example
 * const cookie = createCookie('__session', { secrets: [process.env.SESSION_SECRET], secure: true })
 * @throws {TypeError} see {@link Cookie}.
 */
export function createCookie(name: string, options?: CookieOptions): Cookie {
  return new Cookie(name, options)
}

function checkAttributes(name: string, properties: CookieProperties): void {
  for (let key of ['domain', 'path'] as const) {
    let value = properties[key]
    if (value !== undefined && (typeof value !== 'string' || attributeUnsafe.test(value))) {
      throw new TypeError(`Cookie "${name}": ${key} must not contain ";" or control characters`)
    }
  }
  if (properties.maxAge !== undefined && !Number.isInteger(properties.maxAge)) {
    throw new TypeError(`Cookie "${name}": maxAge must be a whole number of seconds`)
  }
  checkPrefix(name, properties)
}

/**
 * The rules browsers hold `__Secure-` and `__Host-` names to (RFC 6265bis): a cookie that breaks
 * them is dropped silently, so say which attribute is wrong.
 */
function checkPrefix(name: string, properties: CookieProperties): void {
  let prefix = name.startsWith('__Host-')
    ? '__Host-'
    : name.startsWith('__Secure-')
      ? '__Secure-'
      : ''
  if (prefix === '') return
  let problems: string[] = []
  if (!properties.secure) problems.push('secure: true is missing')
  if (prefix === '__Host-') {
    if (properties.path !== '/')
      problems.push(`path is ${JSON.stringify(properties.path)}, not '/'`)
    if (properties.domain !== undefined) {
      problems.push(`domain ${JSON.stringify(properties.domain)} is set`)
    }
  }
  if (problems.length > 0) {
    let rule = prefix === '__Host-' ? "secure: true, path '/' and no domain" : 'secure: true'
    throw new TypeError(
      `Cookie "${name}": a ${prefix} cookie needs ${rule} (browsers drop it otherwise): ${problems.join('; ')}`,
    )
  }
}

function isSecureOnly(props: CookieProperties): boolean {
  for (let key in props) if (key !== 'secure') return false
  return props.secure === true
}

function encodeText(value: string): string {
  return NativeBuffer
    ? NativeBuffer.from(value, 'utf8').toString('base64url')
    : toBase64Url(encoder.encode(value))
}

function decodeText(value: string): string {
  let bytes = fromBase64Url(value)
  if (bytes === null) throw new TypeError('Not base64url')
  return decodeUtf8(bytes)
}
