import type { RouteSpec } from './github-routes.ts'
import type { RouterAdapter } from './routers/router-adapter.ts'

/**
 * The routes of `routes` that `adapter` accepts together, added greedily in order: a route is
 * kept when the router still builds and answers a lookup with it added.
 */
export function supportedSubset(adapter: RouterAdapter, routes: readonly RouteSpec[]): RouteSpec[] {
  let kept: RouteSpec[] = []
  for (let route of routes) {
    if (tryBuild(adapter, [...kept, route]) === undefined) kept.push(route)
  }
  return kept
}

/** Builds `routes` with `adapter` and looks one path up; gives the error message, if any. */
export function tryBuild(adapter: RouterAdapter, routes: readonly RouteSpec[]): string | undefined {
  try {
    adapter.build(routes).lookup({ method: 'GET', path: '/', url: 'https://example.com/' })
    return undefined
  } catch (error) {
    return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)
  }
}
