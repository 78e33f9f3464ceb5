import { toBase64Url } from './base64url.ts'

const sessionIdPattern = /^[A-Za-z0-9_-]{32}$/

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
  return typeof id === 'string' && sessionIdPattern.test(id)
}
