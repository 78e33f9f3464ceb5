import { fromBase64Url, toBase64Url } from './base64url.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The shortest secret accepted, in characters. */
export const minSecretLength = 32

/**
 * The keys made from one secret, imported once: an HMAC-SHA256 key that signs, and an AES-256-GCM
 * key derived from the secret with HKDF-SHA256 that encrypts.
 */
interface SecretKeys {
  hmac: CryptoKey
  aes: CryptoKey
}

/**
 * Signs and encrypts cookie values with a list of secrets: the first signs and encrypts, every one
 * verifies and decrypts (rotation). Keys are imported on first use and reused for every request.
 */
export class CookieCrypto {
  #secrets: readonly string[]
  #keys: Promise<SecretKeys[]> | undefined

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets
  }

  #allKeys(): Promise<SecretKeys[]> {
    this.#keys ??= Promise.all(this.#secrets.map(importKeys))
    return this.#keys
  }

  /** `payload.signature`: the signature (base64url HMAC-SHA256) covers the cookie name too. */
  async sign(name: string, payload: string): Promise<string> {
    let [keys] = await this.#allKeys()
    let mac = await crypto.subtle.sign(
      'HMAC',
      (keys as SecretKeys).hmac,
      encoder.encode(`${name}=${payload}`),
    )
    return `${payload}.${toBase64Url(new Uint8Array(mac))}`
  }

  /** The payload of a value signed by any secret; `null` when no secret verifies it. */
  async verify(name: string, signed: string): Promise<string | null> {
    let dot = signed.lastIndexOf('.')
    if (dot === -1) return null
    let payload = signed.slice(0, dot)
    let mac = fromBase64Url(signed.slice(dot + 1))
    if (mac === null || mac.length !== 32) return null
    let data = encoder.encode(`${name}=${payload}`)
    for (let keys of await this.#allKeys()) {
      // subtle.verify compares in constant time.
      if (await crypto.subtle.verify('HMAC', keys.hmac, mac, data)) return payload
    }
    return null
  }

  /** base64url(iv ‖ ciphertext ‖ tag), AES-256-GCM with the cookie name as additional data. */
  async encrypt(name: string, plaintext: string): Promise<string> {
    let [keys] = await this.#allKeys()
    let iv = crypto.getRandomValues(new Uint8Array(12))
    let sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(name) },
      (keys as SecretKeys).aes,
      encoder.encode(plaintext),
    )
    let out = new Uint8Array(12 + sealed.byteLength)
    out.set(iv)
    out.set(new Uint8Array(sealed), 12)
    return toBase64Url(out)
  }

  /** The plaintext of a value encrypted with any secret; `null` when none decrypts it. */
  async decrypt(name: string, sealed: string): Promise<string | null> {
    let bytes = fromBase64Url(sealed)
    if (bytes === null || bytes.length < 12 + 16) return null
    let iv = bytes.subarray(0, 12)
    let data = bytes.subarray(12)
    for (let keys of await this.#allKeys()) {
      try {
        let plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: encoder.encode(name) },
          keys.aes,
          data,
        )
        return decoder.decode(plain)
      } catch {
        // Wrong key or tampered data: try the next secret.
      }
    }
    return null
  }
}

async function importKeys(secret: string): Promise<SecretKeys> {
  let raw = encoder.encode(secret)
  let hmac = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
  let material = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey'])
  let aes = await crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode('@x/session'),
      info: encoder.encode('cookie encryption'),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
  return { hmac, aes }
}
