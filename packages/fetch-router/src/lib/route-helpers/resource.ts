import type { BuildRouteMap } from '../route-map.ts'
import {
  type ActionName,
  buildResourceMap,
  type ResourceMapOptions,
  type ResourceTable,
  type SelectedActions,
} from './resource-map.ts'

// The routes of a singleton resource: `ResourceMethod` and `ResourceRoutes` are read from it.
const resourceTable = {
  new: { method: 'GET', pattern: '/new' },
  show: { method: 'GET', pattern: '/' },
  create: { method: 'POST', pattern: '/' },
  edit: { method: 'GET', pattern: '/edit' },
  update: { method: 'PUT', pattern: '/' },
  destroy: { method: 'DELETE', pattern: '/' },
} as const satisfies ResourceTable<string>

/** The actions of a singleton resource (one per user, like a profile). */
export type ResourceMethod = keyof typeof resourceTable

/** Options for {@link createResourceRoutes}. */
export interface ResourceOptions extends ResourceMapOptions<ResourceMethod> {}

/** The route map {@link createResourceRoutes} returns. */
export type ResourceRoutes<Base extends string, Options> = BuildRouteMap<
  Base,
  {
    [Action in SelectedActions<Options, ResourceMethod> as ActionName<
      Options,
      Action
    >]: (typeof resourceTable)[Action]
  }
>

/**
 * The six routes of a singleton resource under `base`: `new` GET `/new`, `show` GET `/`, `create`
 * POST `/`, `edit` GET `/edit`, `update` PUT `/`, `destroy` DELETE `/`. Exported from
 * `@x/fetch-router/routes` as `resource`.
 *
 * @throws {TypeError} when both `only` and `exclude` are given.
 */
export function createResourceRoutes<
  Base extends string,
  const Options extends ResourceOptions = {},
>(base: Base, options?: Options): ResourceRoutes<Base, Options> {
  return buildResourceMap(base, options, resourceTable) as ResourceRoutes<Base, Options>
}
