import nodeCrypto from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { hmacSigner } from './hmac-signer.ts'
import type { NativeCrypto } from './native.ts'

const native = nodeCrypto as unknown as NativeCrypto

/** Node's own HMAC-SHA256 of `text` under `key`, in base64url. */
const expected = (key: Uint8Array, text: string) =>
  nodeCrypto.createHmac('sha256', key).update(text).digest('base64url')

/**
 * Any text of UTF-16 units, lone surrogates included, up to `maxLength` of them (`size: 'max'`:
 * fast-check's default size would stop at 10).
 */
const anyText = (maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength, size: 'max' })
    .map((units) => String.fromCharCode(...units))

/** Any key up to 160 bytes: shorter and longer than SHA-256's 64-byte block. */
const anyKey = fc.uint8Array({ minLength: 0, maxLength: 160, size: 'max' })

describe('hmacSigner', () => {
  it('gives createHmac’s signature for any key (shorter and longer than a block) and text (1,000 runs)', () => {
    fc.assert(
      fc.property(anyKey, anyText(2000), (key, text) => {
        expect(hmacSigner(native, key)(text)).toBe(expected(key, text))
      }),
      { numRuns: 1000, endOnFailure: true }, // shrinking texts of thousands of units takes minutes
    )
  })

  it.each([0, 1, 32, 63, 64, 65, 88, 128, 200])(
    'gives createHmac’s signature under a key of %i bytes (a key over 64 bytes is hashed first)',
    (length) => {
      let key = nodeCrypto.randomBytes(length)
      let sign = hmacSigner(native, key)
      for (let text of ['', 'a', 'name=payload', '€'.repeat(1400)]) {
        expect(sign(text)).toBe(expected(key, text))
      }
    },
  )

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
      { numRuns: 200, endOnFailure: true },
    )
  })

  it('signs texts at and past the length its buffer holds, and far past it', () => {
    let key = nodeCrypto.randomBytes(32)
    let sign = hmacSigner(native, key)
    // The buffer holds 4096 bytes of text: 1364 three-byte characters leave 4 bytes, 1365 leave 1
    // (a text that may have been cut: it gets a buffer of its own), 1366 are cut; so are 4092 ASCII
    // characters and an emoji (4 bytes left: written whole) and 4093 and one (cut).
    for (let text of [
      '€'.repeat(1364),
      '€'.repeat(1365),
      '€'.repeat(1366),
      'a'.repeat(4092),
      'a'.repeat(4093),
      'a'.repeat(4096),
      'a'.repeat(4097),
      `${'a'.repeat(4092)}😀`,
      `${'a'.repeat(4093)}😀`,
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
