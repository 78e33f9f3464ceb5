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
    if (!isBase64UrlCode(id.charCodeAt(index))) return false
  }
  return true
}

/** Whether `code` is a character of base64url (A-Z, a-z, 0-9, `-`, `_`): faster than a RegExp. */
function isBase64UrlCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 45 ||
    code === 95
  )
}
