import { describe, expect, it } from 'vitest'
import { edgeHash } from './edge-hash.ts'

/** The same hash, from the positions of the characters it reads, listed one by one. */
function expected(text: string, positions: number[]): number {
  let hash = Math.imul(text.length, 0x9e3779b1)
  for (let index of positions) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  return (hash ^ (hash >>> 15)) & 0x3fffffff
}

describe('edgeHash', () => {
  it('reads the length, the first head and the last tail characters, each once', () => {
    let text = 'abcdefghij'
    expect(edgeHash(text, 2, 3)).toBe(expected(text, [0, 1, 7, 8, 9]))
    // Overlapping, or longer than the text: every character once, in order.
    expect(edgeHash(text, 6, 6)).toBe(expected(text, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    expect(edgeHash('abc', 0, 43)).toBe(expected('abc', [0, 1, 2]))
    expect(edgeHash('abc', 32, 32)).toBe(expected('abc', [0, 1, 2]))
    expect(edgeHash('', 32, 32)).toBe(expected('', []))
  })

  it('ignores the middle, and tells lengths and edges apart', () => {
    let base = `${'x'.repeat(40)}${'m'.repeat(100)}${'y'.repeat(43)}`
    let middle = `${'x'.repeat(40)}${'n'.repeat(100)}${'y'.repeat(43)}`
    expect(edgeHash(middle, 32, 43)).toBe(edgeHash(base, 32, 43))
    expect(edgeHash(`${base}y`, 32, 43)).not.toBe(edgeHash(base, 32, 43))
    expect(edgeHash(`${base.slice(0, -1)}z`, 32, 43)).not.toBe(edgeHash(base, 32, 43))
    expect(edgeHash(`z${base.slice(1)}`, 32, 43)).not.toBe(edgeHash(base, 32, 43))
  })

  it('gives an integer from 0 to 2³⁰ − 1', () => {
    for (let length = 0; length < 300; length++) {
      let hash = edgeHash('\uD800é€'.repeat(length).slice(0, length), 32, 43)
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(true)
    }
  })
})
