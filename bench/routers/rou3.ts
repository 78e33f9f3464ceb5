import { addRoute, createRouter, findRoute, type MatchedRoute } from 'rou3'
import type { RouterAdapter } from './router-adapter.ts'

/** rou3 (the router of h3 and Nitro), its plain `findRoute`. */
export const rou3: RouterAdapter = {
  name: 'rou3 findRoute',
  build(routes) {
    let router = createRouter<number>()
    for (let [index, [method, path]] of routes.entries()) addRoute(router, method, path, index)
    return {
      lookup: (request) => findRoute(router, request.method, request.path),
      routeIndex: (result) => (result as MatchedRoute<number> | undefined)?.data,
    }
  },
}
