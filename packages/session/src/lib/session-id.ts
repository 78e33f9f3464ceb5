import { toBase64Url } from './base64url.ts'

/**
 * A new session id: 24 bytes (192 bits) from the platform's CSPRNG, as 32 base64url characters.
 */
export function createSessionId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(24)))
}

/**
 * Whether `id` has the form {@link createSessionId} produces. Storages check it before an id from a
 * cookie becomes a key or a file name.
 */
export function isSessionId(id: unknown): id is string {
  if (typeof id !== 'string' || id.length !== 32) return false
  for (let index = 0; index < 32; index++) {
    // Past the table (code 128 and up): undefined, not 1.
    if (base64UrlCodes[id.charCodeAt(index)] !== 1) return false
  }
  return true
}

/** 1 at the char codes of base64url (A-Z, a-z, 0-9, `-`, `_`): one load per character. */
const base64UrlCodes = new Uint8Array(128)
for (let char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
  base64UrlCodes[char.charCodeAt(0)] = 1
}
