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
 * Adds routes to the router, all of them or none.
 *
 * @throws {TypeError} when a pattern is malformed, or a route matches exactly the same URLs as
 * another route of the same method, registered before or in the same list; nothing is added then.
 */
export type RegisterRoute = (entries: readonly RouteEntry[]) => void
