import { fromBase64Url, toBase64Url } from './base64url.ts'
import { type HmacSigner, hmacSigner } from './hmac-signer.ts'
import {
  NativeBuffer,
  type NativeCrypto,
  type NativeKey,
  nativeCrypto,
  secretKey,
} from './native.ts'
import { decodeUtf8 } from './utf8.ts'

const encoder = new TextEncoder()
const hkdfSalt = encoder.encode('@x/session')
const hkdfInfo = encoder.encode('cookie encryption')

/** The shortest secret accepted, in characters. */
export const minSecretLength = 32

/** Keys for Web Crypto, imported once per secret. */
interface WebKeys {
  hmac: CryptoKey
  aes: CryptoKey
}

/** For the native built-ins, made once per secret: its HMAC signer and its AES key. */
interface NativeKeys {
  sign: HmacSigner
  aes: NativeKey
}

/**
 * Signs and encrypts cookie values with a list of secrets: the first signs and encrypts, every one
 * verifies and decrypts (rotation). HMAC-SHA256 signs with the secret; AES-256-GCM encrypts with a
 * key derived from it by HKDF-SHA256. Keys are made once, on first use. Where the runtime has
 * Node's `crypto` (Node, Bun, Deno) the work is done synchronously by it; elsewhere by Web Crypto.
 * Both produce and accept the same values.
 */
export class CookieCrypto {
  #secrets: readonly string[]
  #native: NativeCrypto | null
  #nativeKeys: NativeKeys[] | undefined
  #webKeys: Promise<WebKeys[]> | undefined

  /**
   * @param native Node's crypto module to use; `null` for Web Crypto. Default: the runtime's, or
   * Web Crypto where there is none.
   */
  constructor(secrets: readonly string[], native: NativeCrypto | null = nativeCrypto ?? null) {
    this.#secrets = secrets
    this.#native = native
  }

  /**
   * The signature of `payload` for the cookie `name`: the base64url HMAC-SHA256 (43 characters) of
   * `name=payload`, with the first secret. The signed value is `payload.signature` (see
   * {@link verify}). Synchronous with Node's crypto (a promise would cost a hop per request); a
   * promise with Web Crypto.
   */
  signature(name: string, payload: string): string | Promise<string> {
    let text = `${name}=${payload}`
    if (this.#native) return (this.#keysNative()[0] as NativeKeys).sign(text)
    return this.#signatureWeb(text)
  }

  async #signatureWeb(text: string): Promise<string> {
    let key = ((await this.#keysWeb())[0] as WebKeys).hmac
    return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text))))
  }

  /**
   * The payload of a signed value, `payload.signature`, when any secret verifies it; else `null`.
   * Synchronous with Node's crypto, a promise with Web Crypto.
   */
  verify(name: string, signed: string): string | null | Promise<string | null> {
    let dot = signed.lastIndexOf('.')
    // A SHA-256 HMAC is 43 base64url characters; the length is no secret.
    if (dot === -1 || signed.length - dot - 1 !== 43) return null
    let payload = signed.slice(0, dot)
    let signature = signed.slice(dot + 1)
    let text = `${name}=${payload}`
    let native = this.#native
    if (native === null || NativeBuffer === undefined) {
      return this.#verifyWeb(text, payload, signature)
    }
    // Compared as text: only the canonical encoding of the right HMAC matches.
    let given = NativeBuffer.from(signature, 'utf8')
    if (given.length !== 43) return null
    for (let keys of this.#keysNative()) {
      let expected = keys.sign(text)
      if (native.timingSafeEqual(NativeBuffer.from(expected, 'utf8'), given)) return payload
    }
    return null
  }

  async #verifyWeb(text: string, payload: string, signature: string): Promise<string | null> {
    let mac = fromBase64Url(signature)
    if (mac === null) return null
    let data = encoder.encode(text)
    for (let keys of await this.#keysWeb()) {
      // subtle.verify compares in constant time.
      let valid = await crypto.subtle.verify(
        'HMAC',
        keys.hmac,
        mac as Uint8Array<ArrayBuffer>,
        data,
      )
      if (valid) return payload
    }
    return null
  }

  /** base64url(iv ‖ ciphertext ‖ tag), AES-256-GCM with the cookie name as additional data. */
  async encrypt(name: string, plaintext: string): Promise<string> {
    let iv = crypto.getRandomValues(new Uint8Array(12))
    let aad = encoder.encode(name)
    let data = encoder.encode(plaintext)
    if (this.#native) {
      let cipher = this.#native.createCipheriv(
        'aes-256-gcm',
        (this.#keysNative()[0] as NativeKeys).aes,
        iv,
      )
      cipher.setAAD(aad)
      return toBase64Url(concat(iv, cipher.update(data), cipher.final(), cipher.getAuthTag()))
    }
    let key = ((await this.#keysWeb())[0] as WebKeys).aes
    let sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad },
      key,
      data,
    )
    return toBase64Url(concat(iv, new Uint8Array(sealed)))
  }

  /** The plaintext of a value encrypted with any secret; `null` when none decrypts it. */
  async decrypt(name: string, sealed: string): Promise<string | null> {
    let bytes = fromBase64Url(sealed)
    if (bytes === null || bytes.length < 12 + 16) return null
    let iv = bytes.subarray(0, 12)
    let aad = encoder.encode(name)
    let native = this.#native
    for (let keys of native ? this.#keysNative() : await this.#keysWeb()) {
      try {
        let plain: Uint8Array
        if (native) {
          let decipher = native.createDecipheriv('aes-256-gcm', (keys as NativeKeys).aes, iv)
          decipher.setAAD(aad)
          decipher.setAuthTag(bytes.subarray(bytes.length - 16))
          plain = concat(decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final())
        } else {
          let params = { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: aad }
          let data = bytes.subarray(12) as Uint8Array<ArrayBuffer>
          plain = new Uint8Array(await crypto.subtle.decrypt(params, (keys as WebKeys).aes, data))
        }
        return decodeUtf8(plain)
      } catch {
        // Wrong key, tampered data or invalid UTF-8: try the next secret.
      }
    }
    return null
  }

  #keysNative(): NativeKeys[] {
    let native = this.#native as NativeCrypto
    this.#nativeKeys ??= this.#secrets.map((secret) => {
      let hmac = encoder.encode(secret)
      let aes = new Uint8Array(native.hkdfSync('sha256', hmac, hkdfSalt, hkdfInfo, 32))
      return { sign: hmacSigner(native, hmac), aes: secretKey(native, aes) }
    })
    return this.#nativeKeys
  }

  #keysWeb(): Promise<WebKeys[]> {
    this.#webKeys ??= Promise.all(this.#secrets.map(importWebKeys))
    return this.#webKeys
  }
}

async function importWebKeys(secret: string): Promise<WebKeys> {
  let raw = encoder.encode(secret)
  let usages: KeyUsage[] = ['sign', 'verify']
  let hmac = await crypto.subtle.importKey(
    'raw',
    raw,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    usages,
  )
  let material = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey'])
  let aes = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: hkdfSalt, info: hkdfInfo },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
  return { hmac, aes }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0))
  let offset = 0
  for (let part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
