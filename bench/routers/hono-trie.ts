import type { Result } from 'hono/router'
import { TrieRouter } from 'hono/router/trie-router'
import type { RouterAdapter } from './router-adapter.ts'

/** Hono's `TrieRouter`: every matching route, in registration order, with params built. */
export const honoTrie: RouterAdapter = {
  name: 'hono TrieRouter',
  build(routes) {
    let router = new TrieRouter<number>()
    for (let [index, [method, path]] of routes.entries()) router.add(method, path, index)
    return {
      lookup: (request) => router.match(request.method, request.path),
      routeIndex: (result) => (result as Result<number>)[0][0]?.[0],
    }
  },
}
