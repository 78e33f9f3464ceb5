import * as devalue from 'devalue'
import { type EntryLayout, stringifyValue, stringifyWithLayout } from './devalue-writer.ts'
import { hasProtoKey, isJsonExact } from './json-exact.ts'
import { type Data, type Session, sessionChanges, sessionValue } from './session.ts'
import type { Timestamps } from './session-lifetime.ts'
import { filterValid, type SessionSchema } from './session-schema.ts'

/** A session as storages keep it: its data and timestamps. */
export interface SessionRecord extends Timestamps {
  values: Data
  flash: Data
  /**
   * Until when (ms since the epoch, may be `Infinity`) the user index lists this session; absent
   * when it is not indexed. Server storages with `userKey` only.
   */
  indexedUntil?: number
}

/** A record's text as {@link encodeRecordText} wrote it, and where its entries lie, when known. */
export interface RecordText {
  text: string
  /** Set for a text in devalue's format written by this package's writer; else `undefined`. */
  layout?: EntryLayout
  /**
   * Set for a text in JSON form: where the JSON of the record's values ends in it (what follows is
   * the flash and the times). Else `undefined`.
   */
  jsonValuesEnd?: number
}

/** What a storage does with stored data that fails the session schema. */
export type InvalidDataPolicy = 'drop' | 'reset'

/**
 * Marks a record written as JSON. devalue's output for a record starts with `[`, so the two never
 * meet, and records written before JSON was used read as they always did.
 */
const jsonTag = 'J'

/**
 * Serializes a record. When JSON gives every value back exactly (plain objects and arrays,
 * strings, finite numbers, booleans, `null`, no repeated references: see {@link isJsonExact}) it
 * is written as JSON after a tag, several times faster to write and read; anything else (a Date,
 * a Map, `undefined`...) in devalue's format (see {@link stringifyValue}), so Date, Map, Set,
 * BigInt, URL, RegExp, `undefined` and repeated or cyclic references survive. `indexedUntil` is
 * a fifth element, written only when set (in JSON, `null` stands for `Infinity`). Versions before
 * the JSON form read only the devalue one.
 *
 * @throws {Error} from devalue for a value it cannot serialize (a function, a class instance).
 */
export function encodeRecord(record: SessionRecord): string {
  return encode(record, false).text
}

/**
 * {@link encodeRecord}'s text, with where its entries lie when it is in devalue's format, or where
 * its values end when it is JSON (see `patchRecordText`, which rewrites parts of it for the next
 * save of the record).
 *
 * @throws {Error} from devalue for a value it cannot serialize (a function, a class instance).
 */
export function encodeRecordText(record: SessionRecord): RecordText {
  return encode(record, true)
}

function encode(record: SessionRecord, withLayout: boolean): RecordText {
  let fields: unknown[] = [record.values, record.flash, record.createdAt, record.touchedAt]
  let until = record.indexedUntil
  if (until !== undefined) fields.push(until)
  let jsonFields =
    isJsonNumber(record.createdAt) &&
    isJsonNumber(record.touchedAt) &&
    (until === undefined || until === Number.POSITIVE_INFINITY || isJsonNumber(until))
  if (jsonFields && isJsonExact([record.values, record.flash])) {
    if (until === Number.POSITIVE_INFINITY) fields[4] = null
    if (!withLayout) return { text: jsonTag + JSON.stringify(fields) }
    // The same text, written in two parts so that the end of the values is known.
    let head = jsonValuesText(record.values)
    return {
      text: `${head},${JSON.stringify(fields.slice(1)).slice(1)}`,
      jsonValuesEnd: head.length,
    }
  }
  return withLayout ? stringifyWithLayout(fields) : { text: stringifyValue(fields) }
}

/**
 * The start of a record's text in JSON form, up to the end of its `values` (JSON writes exactly).
 */
export function jsonValuesText(values: Data): string {
  return `${jsonTag}[${JSON.stringify(values)}`
}

/**
 * Parses what {@link encodeRecord} wrote, in either form. Never throws: anything else (truncated,
 * tampered, `__proto__` keys, wrong shape) gives `null`.
 */
export function decodeRecord(text: string): SessionRecord | null {
  let parsed: unknown
  try {
    parsed = text.startsWith(jsonTag)
      ? parseJsonFields(text.slice(jsonTag.length))
      : devalue.parse(text)
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || (parsed.length !== 4 && parsed.length !== 5)) return null
  let [values, flash, createdAt, touchedAt, indexedUntil] = parsed
  if (!isPlainObject(values) || !isPlainObject(flash)) return null
  if (!Number.isFinite(createdAt) || !Number.isFinite(touchedAt)) return null
  if (parsed.length === 4) return { values, flash, createdAt, touchedAt }
  if (typeof indexedUntil !== 'number' || Number.isNaN(indexedUntil)) return null
  return { values, flash, createdAt, touchedAt, indexedUntil }
}

/**
 * The fields of a record written as JSON.
 *
 * @throws {Error} for invalid JSON, or a `__proto__` key anywhere (devalue refuses them too).
 */
function parseJsonFields(json: string): unknown {
  let parsed: unknown = JSON.parse(json)
  if (hasProtoKey(json, parsed)) throw new Error('A __proto__ key')
  if (Array.isArray(parsed) && parsed.length === 5 && parsed[4] === null) {
    parsed[4] = Number.POSITIVE_INFINITY
  }
  return parsed
}

/** A number JSON writes and reads back exactly. */
export function isJsonNumber(value: number): boolean {
  return Number.isFinite(value) && !Object.is(value, -0)
}

/**
 * The record to store for a session: `base` (what is stored now, freshly read) with the session's
 * changes applied, so concurrent saves that change different keys all survive. Without a base (a
 * new session, or one with a new id) the session's whole data is written, begun at `createdAt`
 * (default: when the session was first stored, else `now`). Last used at `now` when the save
 * `renews` the session (default), else when `base` (or, written whole, the session as read) was.
 */
export function applyChanges(
  base: SessionRecord | null,
  session: Session<Data, Data>,
  now: number,
  createdAt = sessionChanges(session).createdAt ?? now,
  renews = true,
): SessionRecord {
  let changes = sessionChanges(session)
  if (base === null) {
    let [values, flash] = session.data
    let touchedAt = renews ? now : (changes.touchedAt ?? now)
    return { values, flash, createdAt, touchedAt }
  }
  let merged: SessionRecord = {
    values: { ...base.values },
    flash: { ...base.flash },
    createdAt: base.createdAt,
    touchedAt: renews ? now : base.touchedAt,
  }
  if (base.indexedUntil !== undefined) merged.indexedUntil = base.indexedUntil
  // Only the keys changed: reading the others (`data`) would copy what a storage lends.
  for (let key of changes.values.keys()) {
    let value = sessionValue(session, key)
    if (value !== undefined) merged.values[key] = value
    else delete merged.values[key]
  }
  for (let key of changes.readFlash) delete merged.flash[key]
  for (let [key, value] of changes.newFlash) merged.flash[key] = value
  return merged
}

/**
 * The record's data that passes the schema. `null` when something failed and the policy is
 * `'reset'`; with `'drop'` the failing keys are left out.
 */
export async function validRecord(
  record: SessionRecord,
  schema: SessionSchema | undefined,
  policy: InvalidDataPolicy,
): Promise<SessionRecord | null> {
  if (schema === undefined) return record
  let values = await filterValid(schema.values, record.values)
  let flash = await filterValid(schema.flash, record.flash)
  if ((values.rejected || flash.rejected) && policy === 'reset') return null
  return { ...record, values: values.valid, flash: flash.valid }
}

function isPlainObject(value: unknown): value is Data {
  if (typeof value !== 'object' || value === null) return false
  let prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
