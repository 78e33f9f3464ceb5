import { recordKeeper } from './kept-records.ts'
import { KeyLock } from './key-lock.ts'
import type { Found, ListedSession, RecordStore, WriteOutcome, WritePlan } from './record-store.ts'
import { indexUntil, userOf } from './record-store.ts'
import { retiredMarker, retiredUntil } from './retired-ids.ts'
import { saveBase } from './save-base.ts'
import { sessionChanges } from './session.ts'
import type { SessionDataStore } from './session-data-store.ts'
import { expiresAt, isExpired, type Lifetime } from './session-lifetime.ts'
import { applyChanges, decodeRecord, encodeRecord, type SessionRecord } from './session-record.ts'
import { UserIndex } from './user-index.ts'

// The latest Date a store can hold: `new Date(Infinity)` is invalid.
const maxDate = 8.64e15

/** What is under an id: nothing (or an expired or corrupt record), a live session or marker. */
type State = 'gone' | 'live' | 'retired'

/** Sessions a save pushed past the per-user cap, to delete once its locks are released. */
interface Evicted {
  user: string
  ids: string[]
}

/**
 * The {@link RecordStore} over a {@link SessionDataStore} (memory, files, your own): each
 * operation reads, merges and writes under a per-id lock of this process.
 */
export class DataStoreRecords implements RecordStore {
  #store: SessionDataStore
  #locks = new KeyLock()
  #users: UserIndex
  #schema: boolean

  /** `schema`: whether the storage has a session schema (a save then always re-parses). */
  constructor(store: SessionDataStore, schema: boolean) {
    this.#store = store
    this.#schema = schema
    this.#users = new UserIndex(store, (id, task) => this.#locks.run(id, task))
  }

  find(id: string, now: number): Found | Promise<Found> {
    let keeper = recordKeeper(this.#store)
    if (keeper) return found(keeper.read(id, now))
    // Whatever the store gives (a promise of another realm, a thenable, a value): one of ours.
    return Promise.resolve(this.#store.readData(id)).then(found)
  }

  drop(id: string): Promise<void> {
    return this.#locks.run(id, () => this.#store.deleteData(id))
  }

  write(plan: WritePlan): WriteOutcome | Promise<WriteOutcome> {
    let done = plan.origin === undefined ? this.#writeKeptNow(plan) : undefined
    return done ?? this.#writeLocked(plan)
  }

  async #writeLocked(plan: WritePlan): Promise<WriteOutcome> {
    let evicted: Evicted = { user: '', ids: [] }
    let write = () => this.#locks.run(plan.id, () => this.#write(plan, evicted))
    let origin = plan.origin
    // Under the original's lock for the whole write: a delete of the original (a logout,
    // destroyUserSessions) comes before the check or after the new record is indexed.
    let outcome =
      origin === undefined
        ? await write()
        : await this.#locks.run(origin.id, async () => {
            let state = await this.#state(origin.id, plan.now, plan.lifetime)
            if (state !== origin.expect) return state === 'retired' ? 'retired' : 'gone'
            return write()
          })
    // Outside every lock: a save holds its session's lock while it extends the index.
    if (evicted.ids.length > 0) {
      await Promise.all(evicted.ids.map((id) => this.drop(id)))
      await this.#users.remove(evicted.user, evicted.ids, plan.now)
    }
    return outcome
  }

  retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    return this.#locks.run(id, async () => {
      let state = await this.#state(id, now, lifetime)
      if (state !== 'live') return state === 'retired' ? 'retired' : 'gone'
      await this.#store.updateData(id, retiredMarker(until), new Date(until))
      return 'written'
    })
  }

  async forget(
    originalId: string,
    id: string,
    user: string | undefined,
    now: number,
  ): Promise<WriteOutcome> {
    let retired = await this.#locks.run(originalId, async () => {
      let text = await this.#store.readData(originalId)
      if (text !== null && liveMarker(text, now)) return true
      await this.#store.deleteData(originalId)
      return false
    })
    if (retired) return 'retired'
    if (id !== originalId) await this.#locks.run(id, () => this.#store.deleteData(id))
    if (user !== undefined) await this.#users.remove(user, [originalId], now)
    return 'written'
  }

  unindex(user: string, id: string, now: number): Promise<void> {
    return this.#users.remove(user, [id], now)
  }

  async destroyUser(user: string, now: number, lifetime: Lifetime): Promise<number> {
    let ended = 0
    // Twice at most: the sessions listed when the call began, then those that logins in flight
    // then listed meanwhile (a login holds the lock of the session it replaces, which the first
    // round deletes, until its own record is written and listed). A client that keeps logging in
    // cannot keep this call running.
    for (let round = 0; round < 2; round++) {
      let ids = await this.#users.list(user)
      if (ids.length === 0) break
      // Sessions first, the index last: a failure part way leaves the rest listed for a retry.
      let live = await Promise.all(
        ids.map((id) =>
          this.#locks.run(id, async () => {
            let state = await this.#state(id, now, lifetime)
            await this.#store.deleteData(id)
            return state === 'live'
          }),
        ),
      )
      ended += live.filter(Boolean).length
      await this.#users.remove(user, ids, now)
    }
    return ended
  }

  async listUser(user: string, now: number): Promise<ListedSession[]> {
    let ids = await this.#users.list(user, now)
    return Promise.all(ids.map(async (id) => ({ id, found: await this.find(id, now) })))
  }

  async endUserSession(
    id: string,
    owner: { user: string; userKey: string },
    now: number,
    lifetime: Lifetime,
  ): Promise<boolean> {
    let ended = await this.#locks.run(id, async () => {
      let text = await this.#store.readData(id)
      if (text === null || retiredUntil(text) !== undefined) return false
      let record = decodeRecord(text)
      if (record === null || isExpired(record, lifetime, now)) return false
      if (userOf(record.values[owner.userKey]) !== owner.user) return false
      await this.#store.deleteData(id)
      return true
    })
    if (ended) await this.#users.remove(owner.user, [id], now)
    return ended
  }

  /** What is stored under `id` at `now`. */
  async #state(id: string, now: number, lifetime: Lifetime): Promise<State> {
    let text = await this.#store.readData(id)
    if (text === null) return 'gone'
    if (retiredUntil(text) !== undefined) return liveMarker(text, now) ? 'retired' : 'gone'
    let record = decodeRecord(text)
    return record === null || isExpired(record, lifetime, now) ? 'gone' : 'live'
  }

  /**
   * The whole write, at once, when the store keeps records in memory (`read` and `write` are
   * synchronous: nothing else runs between them, as under the lock), nothing holds the session's
   * lock and the user index needs no change; `undefined`, having changed nothing, otherwise.
   */
  #writeKeptNow(plan: WritePlan): WriteOutcome | undefined {
    let keeper = recordKeeper(this.#store)
    if (keeper === undefined || this.#locks.busy(plan.id)) return undefined
    let merged = this.#merge(plan, plan.stored ? keeper.read(plan.id, plan.now) : null)
    if (typeof merged === 'string') return merged
    if (this.#indexWanted(merged, plan)) return undefined
    keeper.write(plan.id, merged, expiryMs(merged, plan.lifetime))
    return 'written'
  }

  /** Writes the session's record under its lock, first extending the user index if needed. */
  async #write(plan: WritePlan, evicted: Evicted): Promise<WriteOutcome> {
    let keeper = recordKeeper(this.#store)
    let base = plan.stored
      ? keeper
        ? // The clock now: the lock may have been waited for since the plan was made.
          keeper.read(plan.id, Date.now())
        : await this.#store.readData(plan.id)
      : null
    let record = this.#merge(plan, base)
    if (typeof record === 'string') return record
    if (this.#indexWanted(record, plan)) await this.#index(record, plan, evicted)
    let expires = expiryMs(record, plan.lifetime)
    if (keeper) {
      keeper.write(plan.id, record, expires)
      return 'written'
    }
    let data = encodeRecord(record)
    if (base === null) await this.#store.createData(plan.id, data, new Date(expires))
    else await this.#store.updateData(plan.id, data, new Date(expires))
    return 'written'
  }

  /**
   * The record to write: the session's changes applied to `base` (what is stored under its id now:
   * a record kept parsed, a text, or `null`), or why nothing is written.
   */
  #merge(plan: WritePlan, base: SessionRecord | string | null): SessionRecord | 'gone' | 'retired' {
    let { session, now, stored, read, lifetime } = plan
    // The record vanished since it was read (a logout elsewhere, destroyUserSessions, expiry): do
    // not revive it. A live marker: this request read the id before a login retired it.
    if (stored && base === null) return 'gone'
    if (typeof base === 'string' && retiredUntil(base) !== undefined) {
      return liveMarker(base, now) ? 'retired' : 'gone'
    }
    // A record kept parsed is the base as it is: merging onto it costs no parsing.
    let { record: baseRecord, asRead } =
      typeof base === 'string' || base === null
        ? saveBase(session, base, read?.text, this.#schema)
        : { record: base, asRead: false }
    // Expired while the request ran, by the timestamps stored now (another request may have renewed
    // it since): do not revive it either.
    if (stored) {
      let changes = sessionChanges(session)
      let times = baseRecord ?? {
        createdAt: changes.createdAt ?? now,
        touchedAt: changes.touchedAt ?? now,
      }
      if (isExpired(times, lifetime, now)) return 'gone'
    }
    let record = applyChanges(baseRecord, session, now, plan.createdAt, plan.renews)
    if (asRead && read?.indexedUntil !== undefined) record.indexedUntil = read.indexedUntil
    return record
  }

  /**
   * Whether the user index must list the session until later before `record` is written (see
   * {@link DataStoreRecords.#index}); a record without a user loses what it says of the index.
   */
  #indexWanted(record: SessionRecord, plan: WritePlan): boolean {
    let user = plan.userKey === undefined ? undefined : userOf(record.values[plan.userKey])
    if (user === undefined) {
      // Only when there: deleting a property slows every later access to the object.
      if (record.indexedUntil !== undefined) delete record.indexedUntil
      return false
    }
    let expires = expiresAt(record, plan.lifetime)
    return plan.userChanged || record.indexedUntil === undefined || record.indexedUntil < expires
  }

  /**
   * Lists the session in its user's index until at least when `record` may live (when
   * {@link DataStoreRecords.#indexWanted} says so); sets what it holds on the record, and what the
   * cap evicts on `evicted`.
   */
  async #index(record: SessionRecord, plan: WritePlan, evicted: Evicted): Promise<void> {
    let user = userOf(record.values[plan.userKey as string]) as string
    let until = indexUntil(record.createdAt, expiresAt(record, plan.lifetime), plan.lifetime)
    let entry = { id: plan.id, until, dropped: plan.dropped }
    evicted.ids = await this.#users.add(user, entry, plan.now, plan.maxPerUser)
    evicted.user = user
    record.indexedUntil = until
  }
}

/** When `record` expires (ms since the epoch), as a store is told: at the latest Date there is. */
function expiryMs(record: SessionRecord, lifetime: Lifetime): number {
  return Math.min(expiresAt(record, lifetime), maxDate)
}

/** What a read found under an id: what the store holds there (a record it keeps, or text). */
function found(stored: SessionRecord | string | null): Found {
  if (stored === null) return { kind: 'none' }
  // A record kept parsed (memory storage): nothing to parse, the core restores it as kept.
  if (typeof stored !== 'string') return { kind: 'record', record: stored, lent: true }
  let until = retiredUntil(stored)
  if (until !== undefined) return { kind: 'retired', until }
  let record = decodeRecord(stored)
  return record === null ? { kind: 'corrupt' } : { kind: 'record', record, text: stored }
}

function liveMarker(text: string, now: number): boolean {
  let until = retiredUntil(text)
  return until !== undefined && now < until
}
