import { describe, expect, it } from 'vitest'
import { edgeHash } from './edge-hash.ts'

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

  it('gives an integer from 0 to 2³⁰ − 1', () => {
    for (let length = 0; length < 300; length++) {
      let hash = edgeHash('\uD800é€'.repeat(length).slice(0, length), 43)
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(true)
    }
  })
})
