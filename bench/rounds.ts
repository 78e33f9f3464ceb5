import { maxSpread, rounds } from './config.ts'
import { median, spread } from './stats.ts'

/**
 * How a competitor's runs went: `ok`, steady (in the first set, and in the re-run when another
 * competitor's runs made one); `re-run`, spread in the first set and steady in the re-run; `noisy`,
 * spread in the re-run.
 */
export type Flag = 'ok' | 're-run' | 'noisy'

/** What one competitor measured, over every run kept. */
export interface Measurement {
  /** Median of each metric over every run (the first set and, when re-run, the second). */
  medians: number[]
  /** Spread of the primary metric over the first run set. */
  spread: number
  /**
   * Spread of the primary metric over the re-run set; `undefined` when the table was not re-run
   * (every competitor of a table is re-run when any one of them spread).
   */
  rerunSpread: number | undefined
  /**
   * Every run, in order: one value per metric. The `i`th run of every competitor measured
   * together was made in the same round.
   */
  runs: number[][]
  flag: Flag
  /**
   * Which call of {@link measureInterleaved} measured it: competitors of the same batch ran in the
   * same rounds, so their runs pair by index.
   */
  batch: string
}

/**
 * Measures one run of every competitor named in `order`, in that order, and gives each one value
 * per metric (the first metric is the primary one, the one whose spread is checked).
 */
export type RoundRunner = (order: readonly string[]) => Promise<Map<string, number[]>>

/**
 * Runs `runRound` {@link rounds} times with the competitors interleaved (each round starts one
 * place further down the list). When any competitor's primary metric spreads more than
 * {@link maxSpread}, every competitor is measured {@link rounds} more times, again interleaved and
 * starting further down, so that each one's runs still pair, round by round, with its baseline's
 * (see `cellRatio`); medians are taken over all runs, never over a chosen subset, and each
 * competitor that spread is flagged.
 */
export async function measureInterleaved(
  names: readonly string[],
  runRound: RoundRunner,
): Promise<Map<string, Measurement>> {
  let batch = crypto.randomUUID()
  let runs = new Map<string, number[][]>(names.map((name) => [name, []]))
  await runRounds(names, runRound, runs, 0)
  let firstSpread = new Map(names.map((name) => [name, primarySpread(runs.get(name) ?? [])]))
  let rerun = names.some((name) => (firstSpread.get(name) ?? 0) > maxSpread)
  let second = new Map<string, number[][]>(names.map((name) => [name, []]))
  if (rerun) await runRounds(names, runRound, second, rounds)

  let measurements = new Map<string, Measurement>()
  for (let name of names) {
    let first = runs.get(name) ?? []
    let again = rerun ? (second.get(name) ?? []) : undefined
    let all = again ? [...first, ...again] : first
    let firstSetSpread = firstSpread.get(name) ?? 0
    let rerunSpread = again ? primarySpread(again) : undefined
    let flag: Flag =
      (rerunSpread ?? 0) > maxSpread ? 'noisy' : firstSetSpread > maxSpread ? 're-run' : 'ok'
    let metricCount = all[0]?.length ?? 0
    let medians = Array.from({ length: metricCount }, (_, metric) =>
      median(all.map((run) => run[metric] as number)),
    )
    measurements.set(name, {
      medians,
      spread: firstSetSpread,
      rerunSpread,
      runs: all,
      flag,
      batch,
    })
  }
  return measurements
}

/** Runs {@link rounds} rounds into `into`, the first one's order rotated by `firstShift` places. */
async function runRounds(
  names: readonly string[],
  runRound: RoundRunner,
  into: Map<string, number[][]>,
  firstShift: number,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    let order = rotate(names, firstShift + round)
    let results = await runRound(order)
    for (let name of order) {
      let values = results.get(name)
      if (values === undefined) throw new Error(`No result for ${name} in round ${round + 1}`)
      into.get(name)?.push(values)
    }
  }
}

function primarySpread(runs: readonly number[][]): number {
  return spread(runs.map((run) => run[0] as number))
}

/** `list` rotated left by `by` places. */
function rotate<Item>(list: readonly Item[], by: number): Item[] {
  let shift = list.length === 0 ? 0 : by % list.length
  return [...list.slice(shift), ...list.slice(0, shift)]
}
