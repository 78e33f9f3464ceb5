import { type EntryLayout, plainEntry } from './devalue-writer.ts'
import type { RecordText, SessionRecord } from './session-record.ts'

/**
 * The text of `record`, made from `written` (the text of `base`) by rewriting in place the entries
 * of what changed, when that is all that changed: `record` is `base` with its values under the
 * `changed` keys (each in both) and its `touchedAt` replaced, each a plain value where a plain
 * value was (a string, a finite number, a boolean or `null`: see `plainEntry`), and the same flash
 * values (the caller checks that none was read or set). `undefined` otherwise, or when `written`
 * has no layout: then the record is written whole. Either way the text reads back as `record`: a
 * save that changes a counter or a timestamp costs a few string slices instead of a write of
 * everything the session holds.
 */
export function patchRecordText(
  written: RecordText,
  base: SessionRecord,
  record: SessionRecord,
  changed: Iterable<string>,
): RecordText | undefined {
  let layout = written.layout
  // The record is `[values, flash, createdAt, touchedAt]`, its values the second entry.
  if (layout === undefined || layout.rootRefs.length !== 4 || layout.rootRefs[0] !== 1) {
    return undefined
  }
  if (record.createdAt !== base.createdAt) return undefined
  if (record.indexedUntil !== undefined || base.indexedUntil !== undefined) return undefined
  let edits: Edit[] = []
  if (!addEdit(edits, layout.rootRefs[3], base.touchedAt, record.touchedAt)) return undefined
  let keys: string[] | undefined
  for (let key of changed) {
    if (!Object.hasOwn(base.values, key) || !Object.hasOwn(record.values, key)) return undefined
    keys ??= Object.keys(base.values)
    let entry = layout.childRefs[keys.indexOf(key)]
    if (!addEdit(edits, entry, base.values[key], record.values[key])) return undefined
  }
  return rewrite(written.text, layout, edits)
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
