import { toBase64Url } from './base64url.ts'
import type { ListedSession } from './record-store.ts'
import type { Data, Session } from './session.ts'
import { expiresAt, type Lifetime } from './session-lifetime.ts'

/**
 * One live session of a user, as `listUserSessions` gives it: what a "Your sessions" page shows,
 * never the session id itself.
 */
export interface UserSession<Values extends Data = Data> {
  /**
   * An opaque name of this session for `destroySessionByHandle`: 43 base64url characters (the
   * SHA-256 of the session id with a label of this library), stable while the session keeps its
   * id (a new one after `regenerateId`). It cannot be turned back into the id, so it is safe to
   * put in a page or a form; it ends a session only together with the user it belongs to.
   */
  handle: string
  /** When the session began: the login that created it (a new one at each login). */
  createdAt: Date
  /**
   * When the session last renewed its idle timeout: its start, a login or new id, a change a
   * minute or more after the previous renewal, or any use a tenth of `idleTimeout` (at most a
   * day) after it. So it may be up to a minute in the past for a session that changes, up to a
   * tenth of `idleTimeout` for one that is only read.
   */
  lastUsedAt: Date
  /**
   * When the session ends unless it is used again (its idle timeout), or for good (its absolute
   * timeout), whichever comes first; `null` when both timeouts are `Infinity` (or so long that no
   * `Date` can hold the end).
   */
  expiresAt: Date | null
  /**
   * Whether this is the session passed as `current` (the request's own), by its id: a session
   * whose id the request changed (`regenerateId`) and has not saved yet matches nothing.
   */
  current: boolean
  /**
   * The session values named by the `keys` option, as the session holds them (after the schema,
   * if any): say a device name the app set at login. A key the session does not hold is absent.
   * Each call gives new objects: changing them changes nothing stored.
   */
  values: Partial<Values>
}

/** Options for `listUserSessions`. */
export interface ListUserSessionsOptions<Key extends string = string> {
  /**
   * The session values to include in each entry's `values` (say `['device']`). Default: none.
   * Name only values the user may see: the list shows every session of the user.
   */
  keys?: readonly Key[]
  /** The request's own session, marked `current: true` in the list. Default: none. */
  current?: Session<Data, Data> | null
}

const encoder = new TextEncoder()
// The latest instant a Date can hold.
const maxDate = 8.64e15

/** The handle of session `id` (see {@link UserSession.handle}). */
export async function sessionHandle(id: string): Promise<string> {
  let label = encoder.encode(`@x/session handle\u0000${id}`)
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', label)))
}

/** Whether two strings are equal, in time that depends only on their lengths. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return difference === 0
}

/** A restored session of a listed id, as the storage core gives it to {@link describeSessions}. */
export interface RestoredSession {
  listed: ListedSession
  session: Session<Data, Data>
}

/**
 * The entries of `restored` sessions, most recently used first, with the values named by `keys`.
 */
export async function describeSessions(
  restored: readonly RestoredSession[],
  lifetime: Lifetime,
  options: ListUserSessionsOptions,
): Promise<UserSession[]> {
  let keys = options.keys ?? []
  let currentId = options.current?.id
  let entries = await Promise.all(
    restored.map(async ({ listed, session }): Promise<UserSession> => {
      let record = listed.found.kind === 'record' ? listed.found.record : undefined
      let times = { createdAt: record?.createdAt ?? 0, touchedAt: record?.touchedAt ?? 0 }
      let ends = expiresAt(times, lifetime)
      let values: Data = {}
      for (let key of keys) {
        if (Object.hasOwn(session.data[0], key)) values[key] = session.data[0][key]
      }
      return {
        handle: await sessionHandle(listed.id),
        createdAt: new Date(times.createdAt),
        lastUsedAt: new Date(times.touchedAt),
        expiresAt: ends <= maxDate ? new Date(ends) : null,
        current: listed.id === currentId,
        values,
      }
    }),
  )
  return entries.sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime())
}
