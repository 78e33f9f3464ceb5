import type { NormalizedAction } from './controller.ts'
import type { RequestMethod } from './request-methods.ts'

/** A registered route as the router's matcher keeps it: the action and where it was mapped. */
export interface RouteEntry extends NormalizedAction {
  /** The method it answers, or `'ANY'` for every method. */
  method: RequestMethod | 'ANY'
  /** The full pattern, with the prefixes of every `mount` joined in. */
  pattern: string
}

/**
 * Adds a route to the router.
 *
 * @throws {TypeError} when the pattern is malformed or the same method already has a route that
 * matches exactly the same URLs.
 */
export type RegisterRoute = (entry: RouteEntry) => void
