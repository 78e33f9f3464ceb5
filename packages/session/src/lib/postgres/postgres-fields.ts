import * as devalue from 'devalue'
import type { Found } from '../record-store.ts'
import { type Data, type Session, sessionChanges } from '../session.ts'
import { SessionUserError } from '../session-user-error.ts'
import type { PostgresRow } from './postgres-client.ts'

/** What PostgreSQL cannot store in `text` or a `jsonb` key: NUL, or a lone UTF-16 surrogate. */
const unstorable = /\0|\p{Surrogate}/u

/**
 * Whether PostgreSQL can store `text` as it is: `text` and `jsonb` refuse NUL, and a lone
 * surrogate would reach the server as U+FFFD, so `'\uD800'` and `'\uD801'` would name one user.
 */
export function storable(text: string): boolean {
  return !unstorable.test(text)
}

/**
 * Refuses, before any statement, a session PostgreSQL cannot store as it is: a top-level value or
 * flash key, or the user a `userKey` value names, holding NUL or a lone surrogate.
 *
 * @throws {SessionUserError} (a `TypeError`, the app's mistake: answered `500`, not `503`).
 */
export function checkStorable(session: Session, user: string | undefined): void {
  for (let data of session.data) {
    for (let key of Object.keys(data)) {
      if (!storable(key)) {
        throw new SessionUserError(
          `The session key ${JSON.stringify(key)} holds NUL or a lone surrogate, which PostgreSQL cannot store`,
        )
      }
    }
  }
  if (user !== undefined && !storable(user)) {
    throw new SessionUserError(
      `The user ${JSON.stringify(user)} (the userKey option) holds NUL or a lone surrogate, which PostgreSQL cannot store`,
    )
  }
}

/**
 * How a session is laid out in its row: `vals` and `flash` are JSON objects mapping each key to
 * its value serialized with devalue (so a save merges key by key in SQL), `created_at` and
 * `touched_at` are ms since the epoch. A row with `retired_until` set is the marker of an id
 * replaced by `regenerateId(true)`, holding no data.
 */
export interface RowChanges {
  /** JSON object text: the value keys to set, each to its devalue text. */
  setValues: string
  /** JSON array text: the value keys to delete. */
  removedValues: string
  /** JSON object text: the flash keys to set. */
  setFlash: string
  /** JSON array text: the flash keys to delete. */
  removedFlash: string
}

/** The columns `find` selects, each as text. */
export const rowColumns =
  'created_at::text AS c, touched_at::text AS t, retired_until::text AS r, vals::text AS v, flash::text AS f'

/**
 * What a save changes: for a stored session (`stored`) only the keys the request changed, else
 * every key of the session (to replace the row's data).
 *
 * @throws {Error} from devalue for a value it cannot serialize.
 */
export function rowChanges(session: Session, stored: boolean): RowChanges {
  let changes = sessionChanges(session)
  let [values, flash] = session.data
  if (!stored) {
    return {
      setValues: serialized(Object.entries(values)),
      removedValues: '[]',
      setFlash: serialized(Object.entries(flash)),
      removedFlash: '[]',
    }
  }
  let set: [string, unknown][] = []
  let removed: string[] = []
  for (let key of changes.values.keys()) {
    if (Object.hasOwn(values, key)) set.push([key, values[key]])
    else removed.push(key)
  }
  return {
    setValues: serialized(set),
    removedValues: jsonStrings(removed),
    setFlash: serialized([...changes.newFlash]),
    removedFlash: jsonStrings(changes.readFlash),
  }
}

/** What a row selected with {@link rowColumns} holds; anything this storage never wrote is corrupt. */
export function decodeRow(row: PostgresRow | undefined): Found {
  if (row === undefined) return { kind: 'none' }
  if (row.r !== null && row.r !== undefined) return { kind: 'retired', until: Number(row.r) }
  let createdAt = Number(row.c)
  let touchedAt = Number(row.t)
  if (!Number.isFinite(createdAt) || !Number.isFinite(touchedAt)) return { kind: 'corrupt' }
  let values = decodeData(row.v)
  let flash = decodeData(row.f)
  if (values === null || flash === null) return { kind: 'corrupt' }
  // The row's own user column lists it for as long as it lives: no index to extend on renewal.
  let indexedUntil = Number.POSITIVE_INFINITY
  return { kind: 'record', record: { values, flash, createdAt, touchedAt, indexedUntil } }
}

/** The devalue text a value is stored as, for comparing a column's key in SQL. */
export function storedText(values: Data, key: string): string | null {
  return Object.hasOwn(values, key) ? devalue.stringify(values[key]) : null
}

/**
 * A JSON object of devalue texts, written here from strings: `JSON.stringify` of an object or an
 * array calls a `toJSON` other code put on their prototypes, never one of a string. A key given
 * twice keeps its last value, as in an object.
 */
function serialized(entries: Iterable<[string, unknown]>): string {
  let texts = new Map<string, string>()
  for (let [key, value] of entries) texts.set(key, devalue.stringify(value))
  let members = Array.from(texts, ([key, text]) => `${JSON.stringify(key)}:${JSON.stringify(text)}`)
  return `{${members.join(',')}}`
}

/** A JSON array of strings, written as {@link serialized} writes its object. */
function jsonStrings(strings: Iterable<string>): string {
  return `[${Array.from(strings, (text) => JSON.stringify(text)).join(',')}]`
}

/** A `vals` or `flash` column: `null` unless a JSON object of devalue texts. */
function decodeData(text: string | null | undefined): Data | null {
  try {
    let parsed: unknown = JSON.parse(text ?? '')
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null
    let data: Data = {}
    for (let [key, value] of Object.entries(parsed)) {
      if (key === '__proto__' || typeof value !== 'string') return null
      data[key] = devalue.parse(value)
    }
    return data
  } catch {
    return null
  }
}
