import type { ExpectedLookup } from './request-mixes.ts'
import type { BuiltRouter } from './routers/router-adapter.ts'

/**
 * Checks that `router` finds the expected route for every lookup (and nothing for a miss), so
 * that no competitor is timed doing less than the others.
 *
 * @throws {Error} listing the first disagreements.
 */
export function verifyLookups(
  name: string,
  router: BuiltRouter,
  lookups: readonly ExpectedLookup[],
): void {
  let wrong: string[] = []
  for (let lookup of lookups) {
    let found = router.routeIndex(router.lookup(lookup), lookup)
    if (found !== lookup.expected) {
      wrong.push(`${lookup.method} ${lookup.path}: expected ${lookup.expected}, got ${found}`)
    }
  }
  if (wrong.length > 0) {
    throw new Error(
      `${name} disagrees on ${wrong.length} lookups:\n  ${wrong.slice(0, 8).join('\n  ')}`,
    )
  }
}
