/** One generation of a {@link BoundedCache}: its entries and their total weight. */
interface Generation<Value> {
  entries: Map<number, Value>
  weight: number
}

/**
 * A map that stays small, for caches of work done on texts a client sends back unchanged: each
 * entry holds its `text`, and a lookup needs both its key (made from the text) and the text.
 * Entries go into a young generation; once it holds half of `maxEntries`, or half of `maxWeight`
 * (of the weights `weigh` gives, a size in characters say), it becomes the old one and the
 * previous old one is dropped whole. A hit in the old generation moves the entry to the young
 * one, so what is in use stays; a text that only shares an entry's key moves nothing. At most
 * `maxEntries` entries weighing `maxWeight` in all (only what `weigh` counts: memory the values
 * hold besides is not bounded by it), and no per-entry bookkeeping on the way. Only what passed a
 * check should be added, so that a flood of junk can neither grow it nor push real entries out.
 */
export class BoundedCache<Value extends { readonly text: string }> {
  #young: Generation<Value> = { entries: new Map(), weight: 0 }
  #old: Generation<Value> = { entries: new Map(), weight: 0 }
  #maxEntries: number
  #maxWeight: number
  #weigh: (value: Value) => number

  constructor(maxEntries: number, maxWeight: number, weigh: (value: Value) => number) {
    this.#maxEntries = maxEntries / 2
    this.#maxWeight = maxWeight / 2
    this.#weigh = weigh
  }

  /**
   * The entry stored under `key` for exactly `text`; `undefined` when there is none. A hit in the
   * old generation moves the entry to the young one; an entry of another text under the same key
   * stays where it is, so a forged text made to share a real entry's key cannot push others out.
   */
  get(key: number, text: string): Value | undefined {
    let value = this.#young.entries.get(key)
    if (value !== undefined) return value.text === text ? value : undefined
    value = this.#old.entries.get(key)
    if (value === undefined || value.text !== text) return undefined
    // Still in use: into the young generation.
    this.set(key, value)
    return value
  }

  /**
   * The entry stored under `key` for exactly `text`, without moving it to the young generation: in
   * a cache whose entries are read at most once or twice, reads then do not push other entries out.
   */
  peek(key: number, text: string): Value | undefined {
    let value = this.#young.entries.get(key) ?? this.#old.entries.get(key)
    return value?.text === text ? value : undefined
  }

  /** Stores `value` under `key`; one heavier than half of `maxWeight` is not stored. */
  set(key: number, value: Value): void {
    let weight = this.#weigh(value)
    if (weight > this.#maxWeight) return
    let young = this.#young
    if (young.entries.size >= this.#maxEntries || young.weight + weight > this.#maxWeight) {
      this.#old = young
      young = { entries: new Map(), weight: 0 }
      this.#young = young
    }
    young.entries.set(key, value)
    young.weight += weight
  }
}
