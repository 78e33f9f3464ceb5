import type { Found, RecordStore, WriteOutcome, WritePlan } from './record-store.ts'
import { indexUntil } from './record-store.ts'
import { retiredMarker, retiredUntil } from './retired-ids.ts'
import type { SessionDataStore } from './server-storage.ts'
import { sessionChanges } from './session.ts'
import { expiresAt, isExpired, type Lifetime } from './session-lifetime.ts'
import { applyChanges, decodeRecord, encodeRecord, type SessionRecord } from './session-record.ts'
import { UserIndex } from './user-index.ts'

// The latest Date a store can hold: `new Date(Infinity)` is invalid.
const maxDate = 8.64e15

/**
 * The {@link RecordStore} over a {@link SessionDataStore} (memory, files, your own): each
 * operation reads, merges and writes under a per-id lock of this process.
 */
export class DataStoreRecords implements RecordStore {
  #store: SessionDataStore
  #locks = new Map<string, Promise<unknown>>()
  #users: UserIndex
  #schema: boolean

  /** `schema`: whether the storage has a session schema (a save then always re-parses). */
  constructor(store: SessionDataStore, schema: boolean) {
    this.#store = store
    this.#schema = schema
    this.#users = new UserIndex(store, (id, task) => this.#withLock(id, task))
  }

  async find(id: string): Promise<Found> {
    let text = await this.#store.readData(id)
    if (text === null) return { kind: 'none' }
    let until = retiredUntil(text)
    if (until !== undefined) return { kind: 'retired', until }
    let record = decodeRecord(text)
    return record === null ? { kind: 'corrupt' } : { kind: 'record', record, text }
  }

  drop(id: string): Promise<void> {
    return this.#withLock(id, () => this.#store.deleteData(id))
  }

  write(plan: WritePlan): Promise<WriteOutcome> {
    return this.#withLock(plan.id, () => this.#write(plan))
  }

  retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    return this.#withLock(id, async () => {
      let text = await this.#store.readData(id)
      if (text === null) return 'gone'
      if (retiredUntil(text) !== undefined) return liveMarker(text, now) ? 'retired' : 'gone'
      let record = decodeRecord(text)
      if (record === null || isExpired(record, lifetime, now)) return 'gone'
      if (until === 0) await this.#store.deleteData(id)
      else await this.#store.updateData(id, retiredMarker(until), new Date(until))
      return 'written'
    })
  }

  async forget(
    originalId: string,
    id: string,
    user: string | undefined,
    now: number,
  ): Promise<WriteOutcome> {
    let retired = await this.#withLock(originalId, async () => {
      let text = await this.#store.readData(originalId)
      if (text !== null && liveMarker(text, now)) return true
      await this.#store.deleteData(originalId)
      return false
    })
    if (retired) return 'retired'
    if (id !== originalId) await this.#withLock(id, () => this.#store.deleteData(id))
    if (user !== undefined) await this.#users.remove(user, originalId, now)
    return 'written'
  }

  unindex(user: string, id: string, now: number): Promise<void> {
    return this.#users.remove(user, id, now)
  }

  destroyUser(user: string, now: number): Promise<number> {
    return this.#users.destroyAll(user, now)
  }

  /** Writes the session's record under its lock, first extending the user index if needed. */
  async #write(plan: WritePlan): Promise<WriteOutcome> {
    let { session, now, stored, read, lifetime } = plan
    let changes = sessionChanges(session)
    let base = stored ? await this.#store.readData(plan.id) : null
    // The record vanished since it was read (a logout elsewhere, destroyUserSessions, expiry): do
    // not revive it. A live marker: this request read the id before a login retired it.
    if (stored && base === null) return 'gone'
    if (base !== null && retiredUntil(base) !== undefined) {
      return liveMarker(base, now) ? 'retired' : 'gone'
    }
    // Unchanged since this request read it, and the session in memory is exactly that text plus
    // its changes (no object lent to be changed in place, no schema that dropped or transformed
    // values): no need to parse it again. Otherwise merge onto what is stored now.
    let unchanged = base !== null && base === read?.text && !changes.lent && !this.#schema
    let baseRecord = base === null || unchanged ? null : decodeRecord(base)
    // Expired while the request ran, by the timestamps stored now (another request may have renewed
    // it since): do not revive it either.
    let times = baseRecord ?? {
      createdAt: changes.createdAt ?? now,
      touchedAt: changes.touchedAt ?? now,
    }
    if (stored && isExpired(times, lifetime, now)) return 'gone'
    let record = applyChanges(baseRecord, session, now)
    if (unchanged && read?.indexedUntil !== undefined) record.indexedUntil = read.indexedUntil
    await this.#index(record, plan)
    let expires = new Date(Math.min(expiresAt(record, lifetime), maxDate))
    let data = encodeRecord(record)
    if (base === null) await this.#store.createData(plan.id, data, expires)
    else await this.#store.updateData(plan.id, data, expires)
    return 'written'
  }

  /**
   * Lists the session in its user's index until at least when the record about to be written may
   * live, unless the index already does; sets what it holds on the record.
   */
  async #index(record: SessionRecord, plan: WritePlan): Promise<void> {
    let user = plan.userKey === undefined ? undefined : record.values[plan.userKey]
    if (typeof user !== 'string') {
      delete record.indexedUntil
      return
    }
    let expires = expiresAt(record, plan.lifetime)
    if (!plan.userChanged && record.indexedUntil !== undefined && record.indexedUntil >= expires) {
      return
    }
    let until = indexUntil(record.createdAt, expires, plan.lifetime)
    await this.#users.add(user, plan.id, until, plan.now)
    record.indexedUntil = until
  }

  async #withLock<Result>(id: string, task: () => Promise<Result>): Promise<Result> {
    let previous = this.#locks.get(id) ?? Promise.resolve()
    let current = previous.then(task, task)
    let settled = current.catch(() => {})
    this.#locks.set(id, settled)
    try {
      return await current
    } finally {
      if (this.#locks.get(id) === settled) this.#locks.delete(id)
    }
  }
}

function liveMarker(text: string, now: number): boolean {
  let until = retiredUntil(text)
  return until !== undefined && now < until
}
