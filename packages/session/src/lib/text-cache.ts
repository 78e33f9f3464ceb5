import { BoundedCache } from './bounded-cache.ts'

interface Entry<Value> {
  text: string
  value: Value
}

/** How a {@link TextCache} finds and weighs its entries. */
export interface TextCacheOptions<Value> {
  /** The most entries kept. */
  maxEntries: number
  /** The most weight kept, in all. */
  maxWeight: number
  /**
   * A short key for `text`, a few dozen of its characters (say its last 43): a lookup hashes the
   * key, not the text. Texts that share a key replace each other.
   */
  keyOf: (text: string) => string
  /** The weight of an entry: its size in characters, say. */
  weigh: (text: string, value: Value) => number
}

/**
 * A {@link BoundedCache} of work done on long texts a client sends back unchanged (cookie values
 * of up to 4 KB): an entry is found by a short key made from its text, and a hit needs the whole
 * text to be equal too, so a lookup costs a hash of a few dozen characters and one comparison,
 * never a hash of the whole text.
 */
export class TextCache<Value> {
  #cache: BoundedCache<Entry<Value>>
  #keyOf: (text: string) => string

  constructor(options: TextCacheOptions<Value>) {
    this.#keyOf = options.keyOf
    this.#cache = new BoundedCache(options.maxEntries, options.maxWeight, (_, entry) =>
      options.weigh(entry.text, entry.value),
    )
  }

  /** The value stored for `text`, or `undefined`. */
  get(text: string): Value | undefined {
    let entry = this.#cache.get(this.#keyOf(text))
    return entry?.text === text ? entry.value : undefined
  }

  /** Stores `value` for `text`. */
  set(text: string, value: Value): void {
    this.#cache.set(this.#keyOf(text), { text, value })
  }
}
