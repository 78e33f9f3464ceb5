import type { BuildRouteMap } from '../route-map.ts'
import {
  type ActionName,
  buildResourceMap,
  type ResourceMapOptions,
  type SelectedActions,
} from './resource-map.ts'

/** The actions of a resource collection. */
export type ResourcesMethod = 'index' | 'new' | 'show' | 'create' | 'edit' | 'update' | 'destroy'

/** Options for {@link createResourcesRoutes}. */
export interface ResourcesOptions extends ResourceMapOptions<ResourcesMethod> {
  /** The name of the id param. Default `'id'`. */
  param?: string
}

type ParamOf<Options> = Options extends { param: infer Param extends string } ? Param : 'id'

type ResourcesTable<Param extends string> = {
  index: { method: 'GET'; pattern: '/' }
  new: { method: 'GET'; pattern: '/new' }
  show: { method: 'GET'; pattern: `/:${Param}` }
  create: { method: 'POST'; pattern: '/' }
  edit: { method: 'GET'; pattern: `/:${Param}/edit` }
  update: { method: 'PUT'; pattern: `/:${Param}` }
  destroy: { method: 'DELETE'; pattern: `/:${Param}` }
}

/** The route map {@link createResourcesRoutes} returns. */
export type ResourcesRoutes<Base extends string, Options> = BuildRouteMap<
  Base,
  {
    [Action in SelectedActions<Options, ResourcesMethod> as ActionName<
      Options,
      Action
    >]: ResourcesTable<ParamOf<Options>>[Action]
  }
>

/**
 * The seven routes of a collection under `base`: `index` GET `/`, `new` GET `/new`, `show` GET
 * `/:id`, `create` POST `/`, `edit` GET `/:id/edit`, `update` PUT `/:id`, `destroy` DELETE `/:id`.
 * Exported from `@x/fetch-router/routes` as `resources`.
 *
 * @throws {TypeError} when both `only` and `exclude` are given.
 */
export function createResourcesRoutes<
  Base extends string,
  const Options extends ResourcesOptions = {},
>(base: Base, options?: Options): ResourcesRoutes<Base, Options> {
  let id = `:${options?.param ?? 'id'}`
  return buildResourceMap(base, options, [
    ['index', 'GET', '/'],
    ['new', 'GET', '/new'],
    ['show', 'GET', `/${id}`],
    ['create', 'POST', '/'],
    ['edit', 'GET', `/${id}/edit`],
    ['update', 'PUT', `/${id}`],
    ['destroy', 'DELETE', `/${id}`],
  ]) as ResourcesRoutes<Base, Options>
}
