/** Cookie lifetime of every server, in seconds, so that each one sends the cookie on every change. */
export const cookieMaxAge = 60 * 60 * 24

/** The next value of a counter stored as `unknown` (`1` when there is none yet). */
export function nextCount(stored: unknown): number {
  return (typeof stored === 'number' ? stored : Number(stored ?? 0)) + 1
}
