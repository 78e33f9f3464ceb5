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
  return typeof id === 'string' && id.length === 32 && base64UrlId.test(id)
}

/**
 * 32 base64url characters (A-Z, a-z, 0-9, `-`, `_`). A regular expression, not a `charCodeAt`
 * loop: once any code in the process subclasses `String` (node-redis and ioredis do), V8 makes
 * every `String.prototype` method call on a string slower, and such a loop four times slower
 * (from 80 to 290 ns on Node 26); `RegExp#test` is not affected.
 */
const base64UrlId = /^[\w-]{32}$/
