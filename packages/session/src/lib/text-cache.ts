import { BoundedCache } from './bounded-cache.ts'

interface Entry<Value> {
  text: string
  value: Value
}

/** How a {@link TextCache} finds and weighs its entries. */
export interface TextCacheOptions<Value> {
  /** The most entries kept of texts clients sent (see {@link TextCache.set}). */
  maxEntries: number
  /**
   * The most entries kept of texts written here (see {@link TextCache.setWritten}), apart from
   * those clients sent.
   */
  maxWrittenEntries: number
  /** The most weight kept of texts clients sent, in all. */
  maxWeight: number
  /** The most weight kept of texts written here, in all. */
  maxWrittenWeight: number
  /**
   * A key for `text` that costs a few dozen character reads, not a hash of the whole text: a hash
   * of its last 16 characters, say (see `edgeHash`, `tailHash`). A number, not a string, which
   * Node 26 would add to its string table. Texts that share a key replace each other.
   */
  keyOf: (text: string) => number
  /** The weight of an entry: its size in characters, say. */
  weigh: (text: string, value: Value) => number
}

/**
 * A {@link BoundedCache} of work done on long texts a client sends back unchanged (cookie values
 * of up to 4 KB): an entry is found by a key made from its text (see `TextCacheOptions.keyOf`),
 * and a hit needs the whole text to be equal too, so a lookup costs the key and one comparison.
 *
 * Texts written here (a value a save gave, which the client sends back on its next request, if
 * it comes soon) are kept apart from texts clients sent, in a cache of their own, in the order
 * they were written: a server under load writes a new text on every save, and most are never
 * read here again (the client's next request comes after thousands of others'), so they would
 * push out the texts clients do send again (the requests of a page, or of a session that did not
 * change), and everything a cache holds is alive at the engine's next young-generation
 * collection, which copies it.
 */
export class TextCache<Value> {
  #sent: BoundedCache<Entry<Value>>
  #written: BoundedCache<Entry<Value>>
  #keyOf: (text: string) => number

  constructor(options: TextCacheOptions<Value>) {
    let { maxEntries, maxWrittenEntries, maxWeight, maxWrittenWeight, keyOf, weigh } = options
    let weighEntry = (entry: Entry<Value>) => weigh(entry.text, entry.value)
    this.#keyOf = keyOf
    this.#sent = new BoundedCache(maxEntries, maxWeight, weighEntry)
    this.#written = new BoundedCache(maxWrittenEntries, maxWrittenWeight, weighEntry)
  }

  /** The value stored for `text`, or `undefined`. */
  get(text: string): Value | undefined {
    let key = this.#keyOf(text)
    let entry = this.#sent.get(key, text)
    if (entry !== undefined) return entry.value
    // Not moved when found: only writes move this cache along, so a value written is found for
    // the next half to all of `maxWrittenEntries` writes however many others are read meanwhile;
    // one still in use after that is missed once, and then kept with the texts clients sent.
    return this.#written.peek(key, text)?.value
  }

  /** Stores `value` for `text`, a text a client sent. */
  set(text: string, value: Value): void {
    this.#sent.set(this.#keyOf(text), { text, value })
  }

  /**
   * Stores `value` for `text`, a text written here, in the cache of written texts. `key`, when
   * given, must be `keyOf(text)`: for a caller that knows it without reading `text` (see
   * `tailHash`).
   */
  setWritten(text: string, value: Value, key = this.#keyOf(text)): void {
    this.#written.set(key, { text, value })
  }
}
