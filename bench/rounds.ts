import { maxSpread, rounds } from './config.ts'
import { median, spread } from './stats.ts'

/** How a competitor's run set went: steady, re-run once and then steady, or still noisy. */
export type Flag = 'ok' | 're-run' | 'noisy'

/** What one competitor measured, over every run kept. */
export interface Measurement {
  /** Median of each metric over every run (the first set and, when re-run, the second). */
  medians: number[]
  /** Spread of the primary metric over the first run set. */
  spread: number
  /** Spread of the primary metric over the re-run set; `undefined` when not re-run. */
  rerunSpread: number | undefined
  /** Every run, in order: one value per metric. */
  runs: number[][]
  flag: Flag
}

/**
 * Measures one run of every competitor named in `order`, in that order, and gives each one value
 * per metric (the first metric is the primary one, the one whose spread is checked).
 */
export type RoundRunner = (order: readonly string[]) => Promise<Map<string, number[]>>

/**
 * Runs `runRound` {@link rounds} times with the competitors interleaved (each round starts one
 * place further down the list, so every competitor runs first once). A competitor whose primary
 * metric spreads more than {@link maxSpread} is measured {@link rounds} more times, again
 * interleaved with the other re-run ones; its median is then taken over all its runs, never over
 * a chosen subset, and it is flagged.
 */
export async function measureInterleaved(
  names: readonly string[],
  runRound: RoundRunner,
): Promise<Map<string, Measurement>> {
  let runs = new Map<string, number[][]>(names.map((name) => [name, []]))
  await runRounds(names, runRound, runs)
  let firstSpread = new Map(names.map((name) => [name, primarySpread(runs.get(name) ?? [])]))
  let noisy = names.filter((name) => (firstSpread.get(name) ?? 0) > maxSpread)
  let rerun = new Map<string, number[][]>(noisy.map((name) => [name, []]))
  if (noisy.length > 0) await runRounds(noisy, runRound, rerun)

  let measurements = new Map<string, Measurement>()
  for (let name of names) {
    let first = runs.get(name) ?? []
    let second = rerun.get(name)
    let all = second ? [...first, ...second] : first
    let rerunSpread = second ? primarySpread(second) : undefined
    let flag: Flag =
      second === undefined ? 'ok' : (rerunSpread ?? 0) > maxSpread ? 'noisy' : 're-run'
    let metricCount = all[0]?.length ?? 0
    let medians = Array.from({ length: metricCount }, (_, metric) =>
      median(all.map((run) => run[metric] as number)),
    )
    measurements.set(name, {
      medians,
      spread: firstSpread.get(name) ?? 0,
      rerunSpread,
      runs: all,
      flag,
    })
  }
  return measurements
}

async function runRounds(
  names: readonly string[],
  runRound: RoundRunner,
  into: Map<string, number[][]>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    let order = rotate(names, round)
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
