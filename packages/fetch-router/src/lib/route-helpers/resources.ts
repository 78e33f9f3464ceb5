import type { BuildRouteMap } from '../route-map.ts'
import {
  type ActionName,
  buildResourceMap,
  type ResourceMapOptions,
  type ResourceTable,
  type SelectedActions,
} from './resource-map.ts'

/**
 * The routes of a collection whose id param is called `param`: `ResourcesMethod` and
 * `ResourcesRoutes` are read from it.
 */
function resourcesTable<Param extends string>(param: Param) {
  return {
    index: { method: 'GET', pattern: '/' },
    new: { method: 'GET', pattern: '/new' },
    show: { method: 'GET', pattern: `/:${param}` },
    create: { method: 'POST', pattern: '/' },
    edit: { method: 'GET', pattern: `/:${param}/edit` },
    update: { method: 'PUT', pattern: `/:${param}` },
    destroy: { method: 'DELETE', pattern: `/:${param}` },
  } as const satisfies ResourceTable<string>
}

type ResourcesTable<Param extends string> = ReturnType<typeof resourcesTable<Param>>

/** The actions of a resource collection. */
export type ResourcesMethod = keyof ResourcesTable<string>

/** Options for {@link createResourcesRoutes}. */
export interface ResourcesOptions extends ResourceMapOptions<ResourcesMethod> {
  /** The name of the id param. Default `'id'`. */
  param?: string
}

type ParamOf<Options> = Options extends { param: infer Param extends string } ? Param : 'id'

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
  return buildResourceMap(base, options, resourcesTable(options?.param ?? 'id')) as ResourcesRoutes<
    Base,
    Options
  >
}
