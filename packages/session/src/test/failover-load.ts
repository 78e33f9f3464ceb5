import { expect } from 'vitest'
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
      // `null`: merged between renewals, the cookie left as it is; `id`: renewed; `''`: lost.
      if (saved !== null && saved !== id) {
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

/** How a test's topology loses a master and gets a new one. */
export interface Failover {
  /** Resolves once every write so far is on the replicas. */
  waitForReplication(): Promise<void>
  /** Kills a master serving some of `ids`, and resolves once its replacement serves. */
  failOver(ids: string[]): Promise<void>
}

/**
 * The failover test both Redis topologies run: 64 sessions under load until every save is
 * replicated, then a master killed under load. Every request must get `200` or `503`, all get
 * `200` again after the failover, and no replicated save is lost. Resolves to the figures.
 */
export async function failOverUnderLoad(
  storage: SessionStorage,
  topology: Failover,
): Promise<FailoverFigures> {
  let load = new CounterLoad(storage)
  await load.seed(64)
  load.start(16)
  await pause(1000)
  await load.stop()
  // Every save so far is on the replicas: the acknowledged values a failover must keep.
  await topology.waitForReplication()
  let replicated = new Map(load.acknowledged)
  let ids = [...replicated.keys()]
  load.start(16)
  await pause(500)
  await topology.failOver(ids)
  // Requests go on until one round over every session succeeds: the client found the new master.
  await everyRequestSucceeds(load, ids)
  await load.stop()
  let figures = { ...load.figures }
  expect(figures.other).toEqual([])
  expect(figures.failed).toBeGreaterThan(0)
  let after = await Promise.all(ids.map((id) => load.request(id)))
  expect(after).toEqual(after.map(() => 200))
  expect(await load.missing(replicated)).toEqual([])
  return figures
}

/** Resolves once a round of requests to every session all get 200 (at most 100 rounds). */
async function everyRequestSucceeds(load: CounterLoad, ids: string[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    let statuses = await Promise.all(ids.map((id) => load.request(id)))
    if (statuses.every((status) => status === 200)) return
    await pause(100)
  }
  throw new Error('Requests still fail 10 seconds after the failover')
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
