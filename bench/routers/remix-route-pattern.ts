import { createMultiMatcher } from '@remix-run/route-pattern/match'
import type { RouterAdapter } from './router-adapter.ts'

/**
 * Remix's `route-pattern` multi-matcher, which matches full URLs (it parses each one). It has no
 * notion of methods, so each pattern is added once with its methods as data, as Remix's
 * fetch-router does.
 */
export const remixRoutePattern: RouterAdapter = {
  name: 'remix route-pattern',
  build(routes) {
    let methodsByPath = new Map<string, Map<string, number>>()
    routes.forEach(([method, path], index) => {
      let methods = methodsByPath.get(path) ?? new Map<string, number>()
      methods.set(method, index)
      methodsByPath.set(path, methods)
    })
    let matcher = createMultiMatcher<Map<string, number>>()
    for (let [path, methods] of methodsByPath) matcher.add(path, methods)
    return {
      lookup(request) {
        let match = matcher.match(request.url)
        return match?.data.has(request.method) ? match : undefined
      },
      routeIndex: (result, request) =>
        (result as { data: Map<string, number> } | undefined)?.data.get(request.method),
    }
  },
}
