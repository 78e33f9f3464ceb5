// `fatal`: bytes that are not UTF-8 are refused, not replaced. `ignoreBOM`: a value that starts
// with U+FEFF reads back with it, as it was written.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The text `bytes` hold as UTF-8, exactly: a leading U+FEFF is kept.
 *
 * @throws {TypeError} when `bytes` are not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}
