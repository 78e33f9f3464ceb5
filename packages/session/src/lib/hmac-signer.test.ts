import nodeCrypto from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { hmacSigner } from './hmac-signer.ts'
import type { NativeCrypto } from './native.ts'

const native = nodeCrypto as unknown as NativeCrypto

/** Node's own HMAC-SHA256 of `text` under `key`, in base64url. */
const expected = (key: Uint8Array, text: string) =>
  nodeCrypto.createHmac('sha256', key).update(text).digest('base64url')

/** Any text of UTF-16 units, lone surrogates included, up to `maxLength` of them. */
const anyText = (maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength })
    .map((units) => String.fromCharCode(...units))

const anyKey = fc.uint8Array({ minLength: 0, maxLength: 160 })

describe('hmacSigner', () => {
  it('gives createHmac’s signature for any key (shorter and longer than a block) and text (1,000 runs)', () => {
    fc.assert(
      fc.property(anyKey, anyText(2000), (key, text) => {
        expect(hmacSigner(native, key)(text)).toBe(expected(key, text))
      }),
      { numRuns: 1000 },
    )
  })

  it('gives the right signature to each of many texts signed in turn by one signer', () => {
    // One signer reuses its buffer: a short text after a long one must not hash the long one's tail.
    fc.assert(
      fc.property(
        anyKey,
        fc.array(anyText(3000), { minLength: 2, maxLength: 20 }),
        (key, texts) => {
          let sign = hmacSigner(native, key)
          for (let text of texts) expect(sign(text)).toBe(expected(key, text))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('signs texts at and past the length its buffer holds, and far past it', () => {
    let key = nodeCrypto.randomBytes(32)
    let sign = hmacSigner(native, key)
    // 1365 three-byte characters fill 4095 of the buffer's 4096 bytes; one more goes to a buffer of
    // its own, as does any text over 1365 units, even ASCII.
    for (let text of [
      '€'.repeat(1365),
      '€'.repeat(1366),
      'a'.repeat(1365),
      'a'.repeat(1366),
      'a'.repeat(4096),
      '😀'.repeat(700),
      'x'.repeat(100_000),
      '',
      'short',
    ]) {
      expect(sign(text)).toBe(expected(key, text))
    }
  })

  it('makes each signature from two one-shot digests on Node, and from createHmac without them', () => {
    let key = nodeCrypto.randomBytes(32)
    let hash = vi.spyOn(nodeCrypto, 'hash')
    let createHmac = vi.spyOn(nodeCrypto, 'createHmac')
    try {
      expect(hmacSigner(native, key)('text')).toBe(expected(key, 'text'))
      expect([hash.mock.calls.length, createHmac.mock.calls.length]).toEqual([2, 1]) // 1: expected
      hash.mockClear()
      createHmac.mockClear()
      // A runtime whose crypto has no one-shot digest (a Node before 20.12).
      let withoutHash = { ...native, hash: undefined }
      expect(hmacSigner(withoutHash, key)('text')).toBe(expected(key, 'text'))
      expect([hash.mock.calls.length, createHmac.mock.calls.length]).toEqual([0, 2])
    } finally {
      hash.mockRestore()
      createHmac.mockRestore()
    }
  })
})
