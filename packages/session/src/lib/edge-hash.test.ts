import { describe, expect, it } from 'vitest'
import { edgeHash, tailHash } from './edge-hash.ts'

/** The same hash, from the positions of the characters it reads, listed one by one. */
function expected(text: string, positions: number[]): number {
  let hash = Math.imul(text.length, 0x9e3779b1)
  for (let index of positions) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  return (hash ^ (hash >>> 15)) & 0x3fffffff
}

describe('edgeHash', () => {
  it('reads the length and the last tail characters, each once', () => {
    let text = 'abcdefghij'
    expect(edgeHash(text, 3)).toBe(expected(text, [7, 8, 9]))
    // Longer than the text: every character once, in order.
    expect(edgeHash(text, 12)).toBe(expected(text, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    expect(edgeHash('abc', 43)).toBe(expected('abc', [0, 1, 2]))
    expect(edgeHash('', 43)).toBe(expected('', []))
  })

  it('ignores what comes before the tail, and tells lengths and tails apart', () => {
    let base = `${'x'.repeat(40)}${'m'.repeat(100)}${'y'.repeat(43)}`
    let middle = `${'z'.repeat(40)}${'n'.repeat(100)}${'y'.repeat(43)}`
    expect(edgeHash(middle, 43)).toBe(edgeHash(base, 43))
    expect(edgeHash(`${base}y`, 43)).not.toBe(edgeHash(base, 43))
    expect(edgeHash(`${base.slice(0, -1)}z`, 43)).not.toBe(edgeHash(base, 43))
    expect(edgeHash(`${base.slice(0, -43)}z${base.slice(-42)}`, 43)).not.toBe(edgeHash(base, 43))
  })

  it('reads the first head characters too, each character once when head and tail overlap', () => {
    let text = 'abcdefghij'
    expect(edgeHash(text, 3, 2)).toBe(expected(text, [0, 1, 7, 8, 9]))
    expect(edgeHash(text, 3, 0)).toBe(edgeHash(text, 3))
    // Overlapping: the tail starts after the head.
    expect(edgeHash(text, 6, 6)).toBe(expected(text, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    expect(edgeHash('abc', 43, 8)).toBe(expected('abc', [0, 1, 2]))
    expect(edgeHash('', 43, 8)).toBe(expected('', []))
  })

  it('tells texts apart by their head, not by what lies between head and tail', () => {
    let base = `${'i'.repeat(8)}${'m'.repeat(100)}${'y'.repeat(43)}`
    expect(edgeHash(`j${base.slice(1)}`, 43, 8)).not.toBe(edgeHash(base, 43, 8))
    expect(edgeHash(`${base.slice(0, 8)}${'n'.repeat(100)}${base.slice(-43)}`, 43, 8)).toBe(
      edgeHash(base, 43, 8),
    )
  })

  it('gives an integer from 0 to 2³⁰ − 1', () => {
    for (let length = 0; length < 300; length++) {
      let text = '\uD800é€'.repeat(length).slice(0, length)
      for (let hash of [edgeHash(text, 43), edgeHash(text, 43, 8), tailHash(text, 16)]) {
        expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(true)
      }
    }
  })
})

describe('tailHash', () => {
  it('is the same for every text ending with the same tail, whatever its length', () => {
    let signature = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV4cXV1eHF1dXo'
    let joined = `${'p'.repeat(200)}.${signature}`
    expect(tailHash(joined, 16)).toBe(tailHash(signature, 16))
    expect(tailHash(`x${joined}`, 16)).toBe(tailHash(signature, 16))
    expect(tailHash(signature.slice(-16), 16)).toBe(tailHash(signature, 16))
  })

  it('tells texts apart by each character of their tail, and only by those', () => {
    let text = `${'a'.repeat(30)}${'0123456789abcdef'}`
    for (let index = text.length - 16; index < text.length; index++) {
      let changed = `${text.slice(0, index)}Z${text.slice(index + 1)}`
      expect(tailHash(changed, 16)).not.toBe(tailHash(text, 16))
    }
    expect(tailHash(`b${text.slice(1)}`, 16)).toBe(tailHash(text, 16))
  })

  it('reads every character of a text shorter than its tail, and tells those texts apart', () => {
    expect(tailHash('abc', 16)).not.toBe(tailHash('bc', 16))
    expect(tailHash('', 16)).not.toBe(tailHash('a', 16))
    expect(tailHash('abc', 16)).toBe(tailHash('abc', 3))
  })
})
