import type { SessionStorage } from '../lib/session-storage.ts'

/** What a failover under load did, for RELIABILITY.md. */
export interface FailoverFigures {
  /** Requests answered `503` (the storage rejected the read or the save). */
  failed: number
  /** Requests answered `200`. */
  succeeded: number
  /** Seconds from the first to the last `503`. */
  seconds: number
  /** Saves acknowledged (the request got `200`) whose value a later read did not find. */
  lostSaves: number
  /** Anything other than a `200` or a `503`: must stay empty. */
  other: string[]
}

/**
 * Sessions, each holding a counter that every request increments: a Web handler over a storage
 * that answers `200` with the counter, or `503` when the storage rejects (as the session
 * middleware does). It remembers the last value each session acknowledged.
 */
export class CounterLoad {
  readonly acknowledged = new Map<string, number>()
  figures: FailoverFigures = { failed: 0, succeeded: 0, seconds: 0, lostSaves: 0, other: [] }
  #storage: SessionStorage
  #firstFailure = 0
  #lastFailure = 0
  #running = false
  #workers: Promise<void>[] = []

  constructor(storage: SessionStorage) {
    this.#storage = storage
  }

  /** Starts `count` sessions with the counter at 1. */
  async seed(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      let session = await this.#storage.read(null)
      session.set('n', 1)
      let id = await this.#storage.save(session)
      if (typeof id === 'string') this.acknowledged.set(id, 1)
    }
  }

  /** One request: increments the counter of `id`; the status it would answer. */
  async request(id: string): Promise<number> {
    try {
      let session = await this.#storage.read(id)
      let stored = Number(session.get('n') ?? 0)
      // Saves acknowledged since that this read does not see were lost (each worker has its own
      // sessions, so no request of this load runs at the same time on the same one).
      let before = this.acknowledged.get(id) ?? 0
      if (stored < before) this.figures.lostSaves += before - stored
      let n = stored + 1
      session.set('n', n)
      let saved = await this.#storage.save(session)
      if (saved !== id) {
        this.figures.other.push(`save of ${id} answered ${JSON.stringify(saved)}`)
        return 500
      }
      this.acknowledged.set(id, n)
      this.figures.succeeded++
      return 200
    } catch {
      let now = Date.now()
      if (this.figures.failed++ === 0) this.#firstFailure = now
      this.#lastFailure = now
      this.figures.seconds = (this.#lastFailure - this.#firstFailure) / 1000
      return 503
    }
  }

  /**
   * Sends requests to every session, `concurrency` at a time, until {@link CounterLoad.stop}. Each
   * worker has sessions of its own: seed a multiple of `concurrency`.
   */
  start(concurrency: number): void {
    this.#running = true
    let ids = [...this.acknowledged.keys()]
    for (let worker = 0; worker < concurrency; worker++) {
      this.#workers.push(
        (async () => {
          for (let turn = worker; this.#running; turn += concurrency) {
            let status = await this.request(ids[turn % ids.length] as string)
            // Keep a failing cluster from spinning this worker at full speed.
            if (status === 503) await new Promise((resolve) => setTimeout(resolve, 20))
          }
        })(),
      )
    }
  }

  async stop(): Promise<void> {
    this.#running = false
    await Promise.all(this.#workers)
    this.#workers = []
  }

  /** The sessions of `acknowledged` whose counter reads lower than it says (saves lost). */
  async missing(acknowledged: ReadonlyMap<string, number>): Promise<string[]> {
    let missing: string[] = []
    for (let [id, n] of acknowledged) {
      let session = await this.#storage.read(id)
      if (Number(session.get('n') ?? 0) < n) missing.push(id)
    }
    return missing
  }
}
