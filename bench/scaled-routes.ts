import { githubRoutes, type RouteSpec } from './github-routes.ts'

/**
 * The ten routes every scaled table starts with, and that the scaling benchmark looks up: three
 * static, three with shallow params, four deep.
 */
export const probeRoutes: readonly RouteSpec[] = [
  ['GET', '/user'],
  ['GET', '/search/repositories'],
  ['GET', '/rate_limit'],
  ['GET', '/users/:username'],
  ['GET', '/orgs/:org/repos'],
  ['GET', '/repos/:owner/:repo'],
  ['GET', '/repos/:owner/:repo/issues/:issue_number'],
  ['GET', '/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id'],
  ['GET', '/gists/:gist_id/comments/:comment_id'],
  ['GET', '/repos/:owner/:repo/actions/runs/:run_id/jobs'],
]

/**
 * A table of `count` routes: the {@link probeRoutes}, then copies of the GitHub table under
 * prefixes `/t0`, `/t1`, … (as many mounted sub-APIs would be) until `count` is reached.
 */
export function scaledRoutes(count: number): RouteSpec[] {
  let routes: RouteSpec[] = probeRoutes.slice(0, count)
  for (let index = 0; routes.length < count; index++) {
    let [method, path] = githubRoutes[index % githubRoutes.length] as RouteSpec
    let prefix = `/t${Math.floor(index / githubRoutes.length)}`
    routes.push([method, path === '/' ? prefix : prefix + path])
  }
  return routes
}
