export type { RequestBodyMethod, RequestMethod } from './lib/request-methods.ts'
export { RequestBodyMethods, RequestMethods } from './lib/request-methods.ts'
export type { FormOptions, FormRoutes } from './lib/route-helpers/form.ts'
export { createFormRoutes, createFormRoutes as form } from './lib/route-helpers/form.ts'
export {
  createDeleteRoute,
  createDeleteRoute as del,
  createGetRoute,
  createGetRoute as get,
  createHeadRoute,
  createHeadRoute as head,
  createOptionsRoute,
  createOptionsRoute as options,
  createPatchRoute,
  createPatchRoute as patch,
  createPostRoute,
  createPostRoute as post,
  createPutRoute,
  createPutRoute as put,
} from './lib/route-helpers/method.ts'
export type {
  ResourceMethod,
  ResourceOptions,
  ResourceRoutes,
} from './lib/route-helpers/resource.ts'
export {
  createResourceRoutes,
  createResourceRoutes as resource,
} from './lib/route-helpers/resource.ts'
export type {
  ResourcesMethod,
  ResourcesOptions,
  ResourcesRoutes,
} from './lib/route-helpers/resources.ts'
export {
  createResourcesRoutes,
  createResourcesRoutes as resources,
} from './lib/route-helpers/resources.ts'
export type { BuildRouteMap, JoinPatterns, RouteDef, RouteDefs, RouteMap } from './lib/route-map.ts'
export { Route, route, route as createRoutes } from './lib/route-map.ts'
