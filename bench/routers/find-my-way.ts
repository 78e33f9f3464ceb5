import FindMyWay from 'find-my-way'
import type { RouterAdapter } from './router-adapter.ts'

type Found = { store: { index: number } } | null

/** find-my-way, the router of Fastify: the baseline of the matching benchmarks. */
export const findMyWay: RouterAdapter = {
  name: 'find-my-way',
  build(routes) {
    let router = FindMyWay()
    routes.forEach(([method, path], index) => {
      router.on(method as 'GET', path, () => {}, { index })
    })
    return {
      lookup: (request) => router.find(request.method as 'GET', request.path),
      routeIndex: (result) => (result as Found)?.store.index,
    }
  },
}
