import { checkMiddleware, isRecord, normalizeAction } from './controller.ts'
import type { RouteEntry } from './route-entry.ts'
import { Route, type RouteMap } from './route-map.ts'
import { joinPatterns } from './route-pattern.ts'

/**
 * The routes a controller maps for a route map under `prefix`: one per route of the map, with the
 * controller's middleware before each action's own. Checks the whole controller before returning,
 * so a mistake registers none of its routes.
 *
 * @throws {TypeError} when the controller has no `actions` object, misses an action for a route,
 * has an action for no route or for a nested route map, or an action or middleware list is
 * malformed.
 */
export function controllerRoutes(
  prefix: string,
  routes: RouteMap,
  controller: unknown,
): RouteEntry[] {
  if (!isRecord(controller) || !isRecord(controller.actions)) {
    throw new TypeError(
      'router.map(routeMap, controller): expected a controller with an `actions` object',
    )
  }
  let actions = controller.actions
  let shared = checkMiddleware(controller.middleware, 'router.map controller')
  for (let name of Object.keys(actions)) {
    if (!(name in routes)) {
      throw new TypeError(
        `Unknown action "${name}" in controller: the route map has no route by that name`,
      )
    }
    if (!(routes[name] instanceof Route)) {
      throw new TypeError(
        `Controller action "${name}" names a nested route map; map it with its own router.map() call`,
      )
    }
  }
  let entries: RouteEntry[] = []
  for (let [name, target] of Object.entries(routes)) {
    if (!(target instanceof Route)) continue
    if (!Object.hasOwn(actions, name)) throw new TypeError(`Missing action "${name}" in controller`)
    let pattern = joinPatterns(prefix, target.pattern)
    let action = normalizeAction(actions[name], `${target.method} ${pattern}`)
    let middleware = [...shared, ...action.middleware]
    entries.push({ ...action, middleware, method: target.method, pattern })
  }
  return entries
}
