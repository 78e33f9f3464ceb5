import type { RouteSpec } from './github-routes.ts'
import type { LookupRequest } from './routers/router-adapter.ts'
import { fillPattern } from './sample-paths.ts'

/** Origin given to routers that match full URLs. */
export const origin = 'https://api.github.com'

/** A lookup and the index of the route it must find (`undefined`: it must find none). */
export interface ExpectedLookup extends LookupRequest {
  expected: number | undefined
}

/** A named list of lookups, timed as one batch. */
export interface RequestMix {
  name: string
  requests: ExpectedLookup[]
}

/**
 * The request mixes of the matching benchmark, built from `routes`: every static route, every
 * route with params and up to 3 segments, every route with params and 4 or more segments, misses
 * (an extra segment, a misspelt first or last static segment), and a mixed workload (half deep,
 * a quarter shallow params, 15% static, 10% misses) in a fixed shuffled order.
 */
export function buildMixes(routes: readonly RouteSpec[]): RequestMix[] {
  let hits = routes.map(([method, pattern], index) => lookup(method, fillPattern(pattern), index))
  let hasParams = (index: number) => (routes[index]?.[1] ?? '').includes(':')
  let depth = (index: number) => (routes[index]?.[1] ?? '').split('/').length - 1
  let staticHits = hits.filter((hit) => !hasParams(hit.expected as number))
  let paramHits = hits.filter(
    (hit) => hasParams(hit.expected as number) && depth(hit.expected as number) <= 3,
  )
  let deepHits = hits.filter(
    (hit) => hasParams(hit.expected as number) && depth(hit.expected as number) >= 4,
  )
  let misses = buildMisses(routes)

  let classes = [deepHits, paramHits, staticHits, misses]
  let mixed: ExpectedLookup[] = []
  let cursors = [0, 0, 0, 0]
  for (let index = 0; index < 400; index++) {
    // Out of every 20 lookups: 10 deep, 5 shallow params, 3 static, 2 misses.
    let slot = index % 20
    let which = slot < 10 ? 0 : slot < 15 ? 1 : slot < 18 ? 2 : 3
    let list = classes[which] as ExpectedLookup[]
    let cursor = cursors[which] as number
    mixed.push(list[cursor % list.length] as ExpectedLookup)
    cursors[which] = cursor + 7 // a stride co-prime with the list sizes spreads the picks
  }
  return [
    { name: 'static hits', requests: staticHits },
    { name: 'param hits', requests: paramHits },
    { name: 'deep params', requests: deepHits },
    { name: 'misses', requests: misses },
    { name: 'mixed', requests: shuffle(mixed) },
  ]
}

function buildMisses(routes: readonly RouteSpec[]): ExpectedLookup[] {
  let matchers = routes.map(([, pattern]) => patternRegExp(pattern))
  let misses: ExpectedLookup[] = []
  routes.forEach(([, pattern], index) => {
    if (index % 3 !== 0 || pattern === '/') return
    let segments = fillPattern(pattern).split('/')
    let staticIndexes = pattern
      .split('/')
      .flatMap((segment, position) =>
        segment !== '' && !segment.startsWith(':') ? [position] : [],
      )
    let variant = (index / 3) % 3
    if (variant === 0 || staticIndexes.length === 0) segments.push('zz')
    else {
      let position = (variant === 1 ? staticIndexes[0] : staticIndexes.at(-1)) as number
      segments[position] = `${segments[position]}zz`
    }
    let path = segments.join('/')
    if (matchers.some((matcher) => matcher.test(path))) return
    misses.push(lookup('GET', path, undefined))
  })
  return misses
}

function lookup(method: string, path: string, expected: number | undefined): ExpectedLookup {
  return { method, path, url: origin + path, expected }
}

function patternRegExp(pattern: string): RegExp {
  let source = pattern
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/')
  return new RegExp(`^${source}$`)
}

/** A deterministic Fisher–Yates shuffle (a fixed linear congruential generator). */
function shuffle<Item>(list: Item[]): Item[] {
  let copy = [...list]
  let state = 12345
  for (let index = copy.length - 1; index > 0; index--) {
    state = (state * 1103515245 + 12345) >>> 0
    let other = state % (index + 1)
    ;[copy[index], copy[other]] = [copy[other] as Item, copy[index] as Item]
  }
  return copy
}
