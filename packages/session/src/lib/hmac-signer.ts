import { NativeBuffer, type NativeCrypto, type NativeHash, onNode, secretKey } from './native.ts'

/** Gives the HMAC-SHA256 of a text's UTF-8 bytes under one key, in base64url. */
export type HmacSigner = (text: string) => string

/** SHA-256's block size, in bytes: the length of the padded key (RFC 2104). */
const blockSize = 64

/** Bytes of text a signer writes into its own buffer; a longer text gets a buffer of its own. */
const bufferedTextBytes = 4096

/**
 * An HMAC-SHA256 signer for `key` on Node's crypto. On Node it is the RFC 2104 construction over
 * two one-shot digests (`crypto.hash`), with the key's inner and outer pads computed once:
 * `createHmac` makes a hash context and looks the digest up anew on every call, which under load
 * costs more than the two digests together. Measured with the bench's profiler under the HTTP
 * section's load (ours + cookie storage, one signature per request, interleaved runs), the crypto
 * calls' own time per request: Node 26, 8.5–9.1 µs with `createHmac` against 5.6–6.7 µs (busy time
 * per request 72.8–77.7 against 68.2–73.5 µs, 4 pairs); Node 24, 8.6–10.1 against 6.3–6.7 µs; Node
 * 20, 8.3–9.0 against 5.3–6.4 µs. Elsewhere (Bun, Deno, a Node without `crypto.hash`) it is
 * `createHmac` with the key. Both give the same signature for every key and text (a lone surrogate
 * is written as U+FFFD, as `createHmac` writes it).
 */
export function hmacSigner(native: NativeCrypto, key: Uint8Array): HmacSigner {
  if (!onNode || native.hash === undefined || NativeBuffer === undefined) {
    let nativeKey = secretKey(native, key)
    return (text) => native.createHmac('sha256', nativeKey).update(text).digest('base64url')
  }
  // Looked up at each call, as `createHmac` is: whatever the module holds then is what runs.
  let digests = native as { hash: NativeHash }
  if (key.length > blockSize) key = digests.hash('sha256', key, 'buffer')
  // The inner pad, then room for the text: hashed together. The outer pad, then the inner digest.
  let buffers = NativeBuffer
  let inner = buffers.alloc(blockSize + bufferedTextBytes)
  let outer = buffers.alloc(blockSize + 32)
  for (let index = 0; index < blockSize; index++) {
    inner[index] = (key[index] ?? 0) ^ 0x36
    outer[index] = (key[index] ?? 0) ^ 0x5c
  }
  return (text) => {
    // A character is 1 to 4 bytes of UTF-8 and `write` writes whole ones only: when 4 bytes or
    // more are left unwritten, the whole text was written. Else the text gets a buffer of its own.
    let written =
      text.length <= bufferedTextBytes ? inner.write(text, blockSize) : bufferedTextBytes
    let message =
      written <= bufferedTextBytes - 4
        ? inner.subarray(0, blockSize + written)
        : withText(buffers, inner.subarray(0, blockSize), text)
    outer.set(digests.hash('sha256', message, 'buffer'), blockSize)
    return digests.hash('sha256', outer, 'base64url')
  }
}

/** `pad` followed by `text`'s UTF-8 bytes, in a new buffer. */
function withText(buffers: NativeBuffer, pad: Uint8Array, text: string): Uint8Array {
  let joined = buffers.alloc(pad.length + text.length * 3)
  joined.set(pad)
  return joined.subarray(0, pad.length + joined.write(text, pad.length))
}
