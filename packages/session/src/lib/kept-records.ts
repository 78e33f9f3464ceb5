import type { SessionDataStore } from './session-data-store.ts'
import type { SessionRecord } from './session-record.ts'

/** The key under which a {@link SessionDataStore} offers a {@link RecordKeeper}. */
export const keptRecords = Symbol('keptRecords')

/**
 * What a store in this process's memory offers besides text: it keeps each session record parsed,
 * so a read copies it instead of parsing text, and a write copies it instead of serializing it
 * (see `copyRecord`: the copies are what a devalue round trip gives, and share nothing with
 * anything a request holds). Text is made only when `readData` asks for it.
 */
export interface RecordKeeper {
  /**
   * What is stored under `id`, as `readData` sees it (expired at `now`, ms since the epoch:
   * `null`): the record kept (the store's own: never change it nor hand it out, copy it), or the
   * text stored when it is not a record (a retired id's marker).
   */
  read(id: string, now: number): SessionRecord | string | null
  /**
   * Keeps `record` under `id` until `expires` (ms since the epoch), taking over its values and
   * flash objects (made for this write: the caller holds them no longer) with a copy of each value
   * in them (see `keepRecord`).
   *
   * @throws {Error} from devalue for a value it cannot serialize (a function, a class instance).
   */
  write(id: string, record: SessionRecord, expires: number): void
}

/** The {@link RecordKeeper} `store` offers, if any. */
export function recordKeeper(store: SessionDataStore): RecordKeeper | undefined {
  return (store as { [keptRecords]?: RecordKeeper })[keptRecords]
}
