import { parseValue } from '../devalue-reader.ts'
import { stringifyValue } from '../devalue-writer.ts'
import { type Session, sessionChanges } from '../session.ts'
import type { SessionRecord } from '../session-record.ts'

/**
 * How a session is laid out in its Redis hash: `c` (created) and `t` (last used) in ms since the
 * epoch, `v:<key>` per value and `f:<key>` per flash value, each serialized with devalue, and
 * `i`, until when the user index lists the session (ms, `inf` for ever), with `userKey` only. A
 * hash holding `r` is a retired id.
 */
export interface FieldChanges {
  /** Field/value pairs to set, flattened. */
  set: string[]
  /** Fields to delete. */
  removed: string[]
  /** The session's values, as `session.data` gave them. */
  values: Record<string, unknown>
}

/** Whether the hash read under an id is the marker of a retired id. */
export function isRetiredMarker(fields: Record<string, string>): boolean {
  return Object.hasOwn(fields, 'r')
}

/**
 * The fields a save writes at `now`: only what the request changed for a stored session (`stored`),
 * else the whole session with its creation time. The last use (`t`) becomes `now` when the save
 * `renews` the session (always when not `stored`), else stays as stored.
 */
export function fieldChanges(
  session: Session,
  stored: boolean,
  now: number,
  createdAt: number,
  renews: boolean,
): FieldChanges {
  let changes = sessionChanges(session)
  let set: string[] = renews ? ['t', String(now)] : []
  let removed: string[] = []
  let [values, flash] = session.data
  if (stored) {
    for (let key of changes.values.keys()) {
      if (Object.hasOwn(values, key)) set.push(`v:${key}`, stringifyValue(values[key]))
      else removed.push(`v:${key}`)
    }
    for (let key of changes.readFlash) removed.push(`f:${key}`)
    for (let [key, value] of changes.newFlash) set.push(`f:${key}`, stringifyValue(value))
  } else {
    set.push('c', String(createdAt))
    for (let [key, value] of Object.entries(values)) set.push(`v:${key}`, stringifyValue(value))
    for (let [key, value] of Object.entries(flash)) set.push(`f:${key}`, stringifyValue(value))
  }
  return { set, removed, values }
}

/** The record stored in a session hash; `null` when any field is not what this storage writes. */
export function decodeFields(fields: Record<string, string>): SessionRecord | null {
  let record: SessionRecord = {
    values: {},
    flash: {},
    createdAt: Number(fields.c),
    touchedAt: Number(fields.t),
  }
  if (!Number.isFinite(record.createdAt) || !Number.isFinite(record.touchedAt)) return null
  if (fields.i !== undefined) {
    let until = fields.i === 'inf' ? Number.POSITIVE_INFINITY : Number(fields.i)
    if (Number.isNaN(until)) return null
    record.indexedUntil = until
  }
  try {
    // for...in rather than Object.entries: no pair allocated per field, on every read.
    for (let field in fields) {
      if (!Object.hasOwn(fields, field)) continue
      if (field === 'c' || field === 't' || field === 'i') continue
      let target = field.startsWith('v:')
        ? record.values
        : field.startsWith('f:')
          ? record.flash
          : null
      let key = field.slice(2)
      if (target === null || key === '__proto__') return null
      target[key] = parseValue(fields[field] as string)
    }
  } catch {
    return null
  }
  return record
}
