/** Bits in the filter: a power of two. */
const filterBits = 4096

/**
 * Every path that a route without params or wildcards matches whole (`/users/new`), to find its
 * route without walking the tree. Hashing a path is the costly part of a map lookup (the path of a
 * request is a new string, whose hash V8 has yet to compute), so the map is asked only for paths
 * that pass a filter of a few character reads: one with the length, second and last character of
 * a static path. Most paths with params fail it, and pay those reads only.
 */
export class StaticPaths<Value> {
  readonly #byPath = new Map<string, Value>()
  readonly #filter = new Uint32Array(filterBits / 32)

  /** The value for `path` (as the tree keys it, with its leading `/`), if it is one of them. */
  get(path: string): Value | undefined {
    let bit = filterBit(path)
    if (((this.#filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return undefined
    return this.#byPath.get(path)
  }

  /** Adds `path` (as the tree keys it, with its leading `/`) with `value`. */
  set(path: string, value: Value): void {
    this.#byPath.set(path, value)
    let bit = filterBit(path)
    this.#filter[bit >>> 5] = (this.#filter[bit >>> 5] as number) | (1 << (bit & 31))
  }
}

/** Where `path` falls in the filter: from its length, its second and its last character. */
function filterBit(path: string): number {
  let length = path.length
  let second = length > 1 ? path.charCodeAt(1) : 0
  let last = path.charCodeAt(length - 1)
  return (length * 961 + second * 31 + last) & (filterBits - 1)
}
