import type { Result } from 'hono/router'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import type { RouterAdapter } from './router-adapter.ts'

/**
 * Hono's `RegExpRouter` (one regular expression per method). Like every Hono router it returns
 * every matching route in registration order, and leaves params as an index into a stash.
 */
export const honoRegExp: RouterAdapter = {
  name: 'hono RegExpRouter',
  build(routes) {
    let router = new RegExpRouter<number>()
    for (let [index, [method, path]] of routes.entries()) router.add(method, path, index)
    return {
      lookup: (request) => router.match(request.method, request.path),
      routeIndex: (result) => (result as Result<number>)[0][0]?.[0],
    }
  },
}
