import { KeyLock } from '../key-lock.ts'
import type { Found, ListedSession, RecordStore, WriteOutcome, WritePlan } from '../record-store.ts'
import type { Lifetime } from '../session-lifetime.ts'
import { KvConflictError } from './kv-conflict.ts'
import { KvSessionTooLargeError } from './kv-session-too-large.ts'
import { KvValueTooLargeError } from './kv-value-too-large.ts'

/** The longest pause between two attempts, in milliseconds. */
const maxPauseMs = 100

/**
 * A {@link RecordStore} that runs each operation on a store of its own, made by `open` (over a
 * per-operation view of Deno KV that remembers the versionstamps of its own reads), and again on
 * a new one, from its reads, when a compare-and-set write of it found its key changed by another
 * process ({@link KvConflictError}): at most `attempts` times in all, after a random pause of up
 * to `2 ** attempt` ms (at most 100 ms); the last conflict is then thrown (an outage to the app).
 * Within this process, operations on one session id run one after another.
 */
export class RetryingRecords implements RecordStore {
  #open: () => RecordStore
  #attempts: number
  #locks = new KeyLock()

  /**
   * `open`: makes the store one attempt of an operation runs on. `attempts`: how many times in
   * all an operation runs (an integer from 1 to 100, checked by the factory).
   */
  constructor(open: () => RecordStore, attempts: number) {
    this.#open = open
    this.#attempts = attempts
  }

  find(id: string, now: number): Promise<Found> {
    return this.#retry([], async (records) => records.find(id, now))
  }

  drop(id: string): Promise<void> {
    return this.#retry([id], (records) => records.drop(id))
  }

  async write(plan: WritePlan): Promise<WriteOutcome> {
    let ids = plan.origin === undefined ? [plan.id] : [plan.id, plan.origin.id]
    try {
      return await this.#retry(ids, async (records) => records.write(plan))
    } catch (error) {
      if (error instanceof KvValueTooLargeError) {
        throw new KvSessionTooLargeError(plan.session, error)
      }
      throw error
    }
  }

  retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    return this.#retry([id], (records) => records.retire(id, until, now, lifetime))
  }

  forget(
    originalId: string,
    id: string,
    user: string | undefined,
    now: number,
  ): Promise<WriteOutcome> {
    return this.#retry([originalId, id], (records) => records.forget(originalId, id, user, now))
  }

  unindex(user: string, id: string, now: number): Promise<void> {
    return this.#retry([], (records) => records.unindex(user, id, now))
  }

  destroyUser(user: string, now: number, lifetime: Lifetime): Promise<number> {
    return this.#retry([], (records) => records.destroyUser(user, now, lifetime))
  }

  listUser(user: string, now: number, lifetime: Lifetime): Promise<ListedSession[]> {
    return this.#retry([], (records) => records.listUser(user, now, lifetime))
  }

  endUserSession(
    id: string,
    owner: { user: string; userKey: string },
    now: number,
    lifetime: Lifetime,
  ): Promise<boolean> {
    return this.#retry([id], (records) => records.endUserSession(id, owner, now, lifetime))
  }

  /** Runs `task` under the locks of `ids`, each attempt on a new store, retrying conflicts. */
  #retry<Result>(ids: string[], task: (records: RecordStore) => Promise<Result>): Promise<Result> {
    return this.#locks.runAll(ids, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await task(this.#open())
        } catch (error) {
          if (!(error instanceof KvConflictError) || attempt >= this.#attempts) throw error
        }
        // A random pause, doubling at most each time, so two processes racing on one entry part.
        let pause = Math.random() * Math.min(2 ** attempt, maxPauseMs)
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    })
  }
}
