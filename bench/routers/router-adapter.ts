import type { RouteSpec } from '../github-routes.ts'

/** One lookup to time: the method, the pathname, and the full URL for routers that want one. */
export interface LookupRequest {
  method: string
  path: string
  url: string
}

/** A built route table: looks a request up and gives the router's own result. */
export interface BuiltRouter {
  /** The router's raw answer, as a user of that router gets it (params included where it builds them). */
  lookup(request: LookupRequest): unknown
  /** Index (in the route table) of the route `result` selects for `request`; `undefined` for none. */
  routeIndex(result: unknown, request: LookupRequest): number | undefined
}

/** How to build one competitor's router from a route table whose routes carry their index as data. */
export interface RouterAdapter {
  name: string
  build(routes: readonly RouteSpec[]): BuiltRouter
}
