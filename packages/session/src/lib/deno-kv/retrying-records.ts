import type { Found, RecordStore, WriteOutcome, WritePlan } from '../record-store.ts'
import type { Lifetime } from '../session-lifetime.ts'
import { KvConflictError } from './kv-conflict.ts'

/**
 * A {@link RecordStore} that runs each operation of another again, from its reads, when a
 * compare-and-set write of it found its key changed by another process ({@link KvConflictError}),
 * at most `attempts` times in all, after a random pause of up to `2 ** attempt` ms; the last
 * conflict is then thrown (an outage to the app).
 */
export class RetryingRecords implements RecordStore {
  #records: RecordStore
  #attempts: number

  /** `attempts`: how many times in all an operation runs (a positive integer). */
  constructor(records: RecordStore, attempts: number) {
    this.#records = records
    this.#attempts = attempts
  }

  find(id: string): Promise<Found> {
    return this.#records.find(id)
  }

  drop(id: string): Promise<void> {
    return this.#retry(() => this.#records.drop(id))
  }

  write(plan: WritePlan): Promise<WriteOutcome> {
    return this.#retry(() => this.#records.write(plan))
  }

  retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    return this.#retry(() => this.#records.retire(id, until, now, lifetime))
  }

  forget(
    originalId: string,
    id: string,
    user: string | undefined,
    now: number,
  ): Promise<WriteOutcome> {
    return this.#retry(() => this.#records.forget(originalId, id, user, now))
  }

  unindex(user: string, id: string, now: number): Promise<void> {
    return this.#retry(() => this.#records.unindex(user, id, now))
  }

  async destroyUser(user: string, now: number, lifetime: Lifetime): Promise<number> {
    return this.#retry(() => this.#records.destroyUser(user, now, lifetime))
  }

  async #retry<Result>(task: () => Promise<Result>): Promise<Result> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await task()
      } catch (error) {
        if (!(error instanceof KvConflictError) || attempt >= this.#attempts) throw error
      }
      // A random pause, doubling at most each time, so two processes racing on one entry part.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt))
    }
  }
}
