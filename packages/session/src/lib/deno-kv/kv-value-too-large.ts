/** The most bytes Deno KV stores in one value (its V8-serialized form). */
export const maxKvValueBytes = 65_536

/**
 * A value the storage was about to commit is larger than Deno KV stores ({@link maxKvValueBytes});
 * nothing was written. `RetryingRecords` turns it into a `SessionTooLargeError` for a save.
 */
export class KvValueTooLargeError extends RangeError {
  override name = 'KvValueTooLargeError'
  /** The session id, or the user index id (it contains a `.`). */
  readonly id: string
  /** The value's size as measured (UTF-8 bytes plus serialization overhead), in bytes. */
  readonly size: number
  /** The limit, {@link maxKvValueBytes}. */
  readonly limit = maxKvValueBytes

  /**
   * @param id The entry's id.
   * @param size Its measured size in bytes.
   */
  constructor(id: string, size: number) {
    super(
      `The Deno KV entry "${id}" needs ${size} bytes, over the ${maxKvValueBytes} bytes a Deno KV value holds`,
    )
    this.id = id
    this.size = size
  }
}
