import { blackhole } from './blackhole.ts'
import type { ExpectedLookup } from './request-mixes.ts'
import type { BuiltRouter } from './routers/router-adapter.ts'
import type { TinyTask } from './tiny.ts'

/**
 * A task named `name` that looks up every one of `lookups` in `router` (one operation each),
 * once `router` has been checked to find the expected route for every lookup (and nothing for a
 * miss), so that no competitor is timed doing less than the others.
 *
 * @param routerLabel how an error names the router; default `name`.
 * @throws {Error} listing the first lookups the router disagrees on.
 */
export function lookupTask(
  name: string,
  router: BuiltRouter,
  lookups: readonly ExpectedLookup[],
  routerLabel = name,
): TinyTask {
  let wrong: string[] = []
  for (let lookup of lookups) {
    let found = router.routeIndex(router.lookup(lookup), lookup)
    if (found !== lookup.expected) {
      wrong.push(`${lookup.method} ${lookup.path}: expected ${lookup.expected}, got ${found}`)
    }
  }
  if (wrong.length > 0) {
    throw new Error(
      `${routerLabel} disagrees on ${wrong.length} lookups:\n  ${wrong.slice(0, 8).join('\n  ')}`,
    )
  }
  return {
    name,
    opsPerCall: lookups.length,
    fn() {
      for (let lookup of lookups) blackhole.value = router.lookup(lookup)
    },
  }
}
