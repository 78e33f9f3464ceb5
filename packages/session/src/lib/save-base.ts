import { type Data, type Session, sessionChanges } from './session.ts'
import { decodeRecord, type SessionRecord } from './session-record.ts'

/** What a save applies a session's changes to: see {@link saveBase}. */
export interface SaveBase {
  /**
   * The stored record to merge the session's changes onto (see `applyChanges`); `null` to write
   * the session's whole data instead.
   */
  record: SessionRecord | null
  /**
   * Whether the stored text is the one the session was read from and the session in memory holds
   * exactly it plus its changes: written whole, the text is not parsed again.
   */
  asRead: boolean
}

/**
 * The one rule for whether a save can skip re-reading what is stored before it writes, for every
 * storage that keeps a session as one text (cookie, memory, files, custom stores).
 *
 * The session in memory is exactly the text it was read from plus its tracked changes unless an
 * object `get()` or `data` handed out may have been changed in place without `set()` (`lent`), or
 * a schema dropped invalid values or transformed valid ones on read (`hasSchema`). When it is, and
 * `current` is still that text, its whole data is what to write. Otherwise the save merges its
 * changes onto `current`, parsed again, so values changed in place are not written and values a
 * schema dropped stay stored.
 *
 * @param current The text stored now under the session's id, freshly read; `null` when there is
 * none (then the session is written whole).
 * @param read The text the session was read from; `undefined` for a session not read from this
 * store.
 * @param hasSchema Whether the storage has a session schema.
 */
export function saveBase(
  session: Session<Data, Data>,
  current: string | null,
  read: string | undefined,
  hasSchema: boolean,
): SaveBase {
  if (current === null) return { record: null, asRead: false }
  if (current === read && !hasSchema && !sessionChanges(session).lent) {
    return { record: null, asRead: true }
  }
  // A corrupt text gives no base: the session is written whole over it.
  return { record: decodeRecord(current), asRead: false }
}
