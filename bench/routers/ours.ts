import { type Match, Matcher } from '../../packages/fetch-router/src/lib/matcher.ts'
import type { RouterAdapter } from './router-adapter.ts'

/** `@x/fetch-router`'s internal `Matcher`. */
export const ours: RouterAdapter = {
  name: 'ours (Matcher)',
  build(routes) {
    let matcher = new Matcher<number>()
    for (let [index, [method, path]] of routes.entries()) matcher.add(method, path, index)
    let methodLists = new Map<string, string[]>()
    return {
      lookup(request) {
        let methods = methodLists.get(request.method)
        if (methods === undefined) {
          methods = [request.method]
          methodLists.set(request.method, methods)
        }
        return matcher.find(request.path, methods)
      },
      routeIndex: (result) => (result as Match<number> | undefined)?.data,
    }
  },
}
