/**
 * Whether `text` has no lone surrogate: UTF-8 cannot carry one (an encoder writes U+FFFD in its
 * place), and JSON escapes it. The runtime's `String.prototype.isWellFormed` where it has one (it
 * scans several times faster than a regular expression), else a regular expression.
 */
export const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !/\p{Cs}/u.test(text)
