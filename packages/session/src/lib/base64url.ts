import { NativeBuffer } from './native.ts'

/** Encodes bytes as unpadded base64url (`A–Z a–z 0–9 - _`), safe in a cookie value. */
export function toBase64Url(bytes: Uint8Array): string {
  if (NativeBuffer) return NativeBuffer.from(bytes).toString('base64url')
  let binary = ''
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000))
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Decodes unpadded base64url; `null` for anything else: other characters, impossible lengths, or a
 * non-canonical last character (unused low bits set), so that no two texts decode to the same bytes.
 */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  let bytes: Uint8Array
  if (NativeBuffer) {
    bytes = NativeBuffer.from(text, 'base64url')
  } else {
    let binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    bytes = new Uint8Array(binary.length)
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  }
  return toBase64Url(bytes) === text ? bytes : null
}
