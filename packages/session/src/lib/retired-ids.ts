import type { Data, Session } from './session.ts'

// Not devalue (older versions read it as a corrupt record, so as a fresh session), and no session
// data: only when the marker ends, in ms since the epoch.
const markerPrefix = 'retired:'

/**
 * What a server storage stores under an id that `regenerateId(true)` replaced, instead of deleting
 * it at once: requests already in flight with the old cookie then cannot undo the login. Holds no
 * session data, only when it ends (`until`, ms since the epoch).
 */
export function retiredMarker(until: number): string {
  return `${markerPrefix}${until}`
}

/**
 * When the retired marker `text` ends (ms since the epoch), or `undefined` when `text` is not a
 * marker (a session record, or anything else).
 */
export function retiredUntil(text: string): number | undefined {
  if (!text.startsWith(markerPrefix)) return undefined
  let until = Number(text.slice(markerPrefix.length))
  return Number.isNaN(until) ? 0 : until
}

/**
 * Checks the `retiredIdGrace` option (seconds) and converts it to milliseconds.
 *
 * @throws {TypeError} when it is not a finite number of seconds, 0 or more.
 */
export function resolveRetiredGrace(seconds: number | undefined = 60): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(
      `retiredIdGrace must be a finite number of seconds, 0 or more, got ${seconds}`,
    )
  }
  return seconds * 1000
}

const inert = new WeakSet<Session<Data, Data>>()

/** Marks `session` as one whose save writes nothing and resolves to `null`, whatever it did. */
export function markInert(session: Session<Data, Data>): Session<Data, Data> {
  inert.add(session)
  return session
}

/** Whether `session` was marked by {@link markInert}. */
export function isInert(session: Session<Data, Data>): boolean {
  return inert.has(session)
}
