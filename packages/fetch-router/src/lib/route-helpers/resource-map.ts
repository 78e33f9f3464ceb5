import type { RequestMethod } from '../request-methods.ts'
import { type RouteDefs, type RouteMap, route } from '../route-map.ts'

/** Which actions of a resource to create, and what to call them. */
export interface ResourceMapOptions<Action extends string> {
  /** Create only these actions. Cannot be combined with `exclude`. */
  only?: readonly Action[]
  /** Create every action but these. Cannot be combined with `only`. */
  exclude?: readonly Action[]
  /** Other names for some actions, e.g. `{ show: 'view' }`. */
  names?: { [Name in Action]?: string }
}

/** Picks the action names an options object selects. */
export type SelectedActions<Options, Action extends string> = Options extends {
  only: readonly (infer Only extends Action)[]
}
  ? Only
  : Options extends { exclude: readonly (infer Excluded extends Action)[] }
    ? Exclude<Action, Excluded>
    : Action

/** The name an action gets under the options' `names`. */
export type ActionName<Options, Action extends string> = Options extends {
  names: { [Name in Action]: infer Custom extends string }
}
  ? Custom
  : Action

/**
 * A resource's routes by action: the one table its route map and its route map's type are both
 * made from.
 */
export type ResourceTable<Action extends string> = {
  readonly [Name in Action]: { readonly method: RequestMethod; readonly pattern: string }
}

/** Builds the route map of a resource from its table, in the table's order. */
export function buildResourceMap<Action extends string>(
  base: string,
  options: ResourceMapOptions<Action> | undefined,
  table: ResourceTable<Action>,
): RouteMap {
  if (options?.only && options.exclude) {
    throw new TypeError('Pass either `only` or `exclude`, not both')
  }
  let defs: RouteDefs = {}
  for (let [action, { method, pattern }] of Object.entries(table) as [
    Action,
    ResourceTable<Action>[Action],
  ][]) {
    if (options?.only && !options.only.includes(action)) continue
    if (options?.exclude?.includes(action)) continue
    defs[options?.names?.[action] ?? action] = { method, pattern }
  }
  return route(base, defs)
}
