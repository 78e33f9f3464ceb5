import { type EntryLayout, plainEntry } from './devalue-writer.ts'
import { jsonIgnoresPrototypes } from './json-exact.ts'
import {
  isJsonNumber,
  jsonValuesText,
  type RecordText,
  type SessionRecord,
} from './session-record.ts'

/**
 * The text of `record`, made from `written` (the text of `base`) by rewriting only what changed,
 * when that is all that changed: `record` is `base` with its values under the `changed` keys and
 * its `touchedAt` replaced, and the same `createdAt` and flash values (the caller checks that none
 * was read or set). In devalue's format (`written.layout`), each changed entry is rewritten in
 * place: every `changed` key must be in both, each a plain value where a plain value was (a
 * string, a finite number, a boolean or `null`: see `plainEntry`). In JSON form
 * (`written.jsonValuesEnd`), the values are written again and the rest kept: a `changed` key may
 * be added or removed, and each value under one must now be a string, a finite number (not `-0`),
 * a boolean or `null`, which JSON writes exactly. `undefined` otherwise: then the record is
 * written whole. Either way the text is the one a whole write gives (`encodeRecordText`): a save
 * that changes a counter or a timestamp costs a few string slices (in JSON, the values' JSON)
 * instead of a write of everything the session holds, and no check of the values that did not
 * change.
 */
export function patchRecordText(
  written: RecordText,
  base: SessionRecord,
  record: SessionRecord,
  changed: Iterable<string>,
): RecordText | undefined {
  if (record.createdAt !== base.createdAt) return undefined
  if (record.indexedUntil !== undefined || base.indexedUntil !== undefined) return undefined
  if (written.layout !== undefined) {
    return patchLayout(written.text, written.layout, base, record, changed)
  }
  if (written.jsonValuesEnd !== undefined) {
    return patchJson(written.text, written.jsonValuesEnd, record, changed)
  }
  return undefined
}

/** {@link patchRecordText} of a text in devalue's format, whose entries lie at `layout`. */
function patchLayout(
  text: string,
  layout: EntryLayout,
  base: SessionRecord,
  record: SessionRecord,
  changed: Iterable<string>,
): RecordText | undefined {
  // The record is `[values, flash, createdAt, touchedAt]`, its values the second entry.
  if (layout.rootRefs.length !== 4 || layout.rootRefs[0] !== 1) return undefined
  let edits: Edit[] = []
  if (!addEdit(edits, layout.rootRefs[3], base.touchedAt, record.touchedAt)) return undefined
  let keys: string[] | undefined
  for (let key of changed) {
    if (!Object.hasOwn(base.values, key) || !Object.hasOwn(record.values, key)) return undefined
    keys ??= Object.keys(base.values)
    let entry = layout.childRefs[keys.indexOf(key)]
    if (!addEdit(edits, entry, base.values[key], record.values[key])) return undefined
  }
  return rewrite(text, layout, edits)
}

/**
 * {@link patchRecordText} of a text in JSON form: `[values,flash,createdAt,touchedAt]` after its
 * tag, the values ending at `valuesEnd`. The values that did not change were written as JSON, so
 * JSON writes them exactly still: only the changed ones are checked.
 */
function patchJson(
  text: string,
  valuesEnd: number,
  record: SessionRecord,
  changed: Iterable<string>,
): RecordText | undefined {
  if (!isJsonNumber(record.touchedAt) || !jsonIgnoresPrototypes()) return undefined
  let values = record.values
  for (let key of changed) {
    // A key removed is left out; `__proto__` is not a session key (and not one JSON reads back).
    if (key === '__proto__') return undefined
    if (Object.hasOwn(values, key) && !isJsonPrimitive(values[key])) return undefined
  }
  let head = jsonValuesText(values)
  // What follows the values up to `touchedAt`, the last field (a number: no comma in it).
  let kept = text.slice(valuesEnd, text.lastIndexOf(',') + 1)
  return { text: `${head}${kept}${record.touchedAt}]`, jsonValuesEnd: head.length }
}

/** A value JSON writes and reads back exactly, and that no other value can share. */
function isJsonPrimitive(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return isJsonNumber(value)
    default:
      return value === null
  }
}

/** An entry to rewrite: its index and its new text. */
type Edit = [entry: number, text: string]

/** Adds the edit of `entry` from `before` to `after`; `false` when one of them is not plain. */
function addEdit(edits: Edit[], entry: number | undefined, before: unknown, after: unknown) {
  let text = plainEntry(after)
  if (entry === undefined || entry < 0 || text === undefined) return false
  if (plainEntry(before) === undefined) return false
  edits.push([entry, text])
  return true
}

/** `text` with each edited entry replaced, and where its entries lie now. */
function rewrite(text: string, layout: EntryLayout, edits: Edit[]): RecordText {
  edits.sort((a, b) => a[0] - b[0])
  let old = layout.bounds
  let bounds: number[] = new Array(old.length)
  let result = ''
  // Where the text not yet copied starts, how far entries past the last edit moved, and the
  // first bound not yet moved.
  let from = 0
  let shift = 0
  let moved = 0
  for (let [entry, replacement] of edits) {
    // A key given twice: one edit (both were made from the same value).
    if (2 * entry < moved) continue
    let start = old[2 * entry] as number
    let end = old[2 * entry + 1] as number
    for (; moved < 2 * entry; moved++) bounds[moved] = (old[moved] as number) + shift
    result += text.slice(from, start) + replacement
    from = end
    bounds[2 * entry] = start + shift
    shift += replacement.length - (end - start)
    bounds[2 * entry + 1] = end + shift
    moved = 2 * entry + 2
  }
  for (; moved < old.length; moved++) bounds[moved] = (old[moved] as number) + shift
  result += text.slice(from)
  return {
    text: result,
    layout: { bounds, rootRefs: layout.rootRefs, childRefs: layout.childRefs },
  }
}
