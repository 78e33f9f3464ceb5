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
      for (let hash of [edgeHash(text, 43), edgeHash(text, 43, 8)]) {
        expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(true)
      }
    }
  })
})
