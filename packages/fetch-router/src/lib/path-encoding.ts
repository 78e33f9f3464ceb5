/**
 * Decodes the percent-encoding in static pattern text, so `/café` and `/caf%C3%A9` are the same.
 *
 * @throws {TypeError} naming `pattern` when the encoding is malformed.
 */
export function decodePatternText(text: string, pattern: string): string {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    throw new TypeError(
      `Invalid route pattern "${pattern}": malformed percent-encoding in "${text}" (write a literal "%" as "%25")`,
    )
  }
}

/**
 * Percent-encodes text the way a WHATWG URL serializes a pathname, plus `/`, `\` and `%` as data:
 * the form in which the text arrives in `request.url`.
 */
export function encodePathText(text: string): string {
  return text.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@[\]^|]/gu, (char) =>
    Array.from(encoder.encode(char), (byte) => `%${hex(byte)}`).join(''),
  )
}

const encoder = new TextEncoder()

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0')
}
