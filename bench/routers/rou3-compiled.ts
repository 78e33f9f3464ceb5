import { addRoute, createRouter, type MatchedRoute } from 'rou3'
import { compileRouter } from 'rou3/compiler'
import type { RouterAdapter } from './router-adapter.ts'

/** rou3 compiled into one JavaScript function (`compileRouter`, built with `new Function`). */
export const rou3Compiled: RouterAdapter = {
  name: 'rou3 compileRouter',
  build(routes) {
    let router = createRouter<number>()
    for (let [index, [method, path]] of routes.entries()) addRoute(router, method, path, index)
    let find = compileRouter(router)
    return {
      lookup: (request) => find(request.method, request.path),
      routeIndex: (result) => (result as MatchedRoute<number> | undefined)?.data,
    }
  },
}
