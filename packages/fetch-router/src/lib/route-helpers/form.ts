import type { RequestMethod } from '../request-methods.ts'
import { type BuildRouteMap, route } from '../route-map.ts'

/** Options for {@link createFormRoutes}. */
export interface FormOptions {
  /** The method the form submits with. Default `'POST'`. */
  formMethod?: RequestMethod
  /** Other names for the two routes. Default `{ index: 'index', action: 'action' }`. */
  names?: { index?: string; action?: string }
}

type NameOf<Options, Key extends 'index' | 'action'> = Options extends {
  names: { [Name in Key]: infer Custom extends string }
}
  ? Custom
  : Key

type FormMethodOf<Options> = Options extends { formMethod: infer Method extends RequestMethod }
  ? Method
  : 'POST'

/** The route map {@link createFormRoutes} returns. */
export type FormRoutes<Pattern extends string, Options> = BuildRouteMap<
  Pattern,
  { [Name in NameOf<Options, 'index'>]: { method: 'GET'; pattern: '/' } } & {
    [Name in NameOf<Options, 'action'>]: { method: FormMethodOf<Options>; pattern: '/' }
  }
>

/**
 * Two routes on one URL: `index` (GET) shows a form and `action` (POST by default) handles its
 * submission. Exported from `@x/fetch-router/routes` as `form`.
 *
 * @example
 * const routes = route({ login: form('/login') })
 * router.map(routes.login, { actions: { index: showForm, action: logIn } })
 */
export function createFormRoutes<Pattern extends string, const Options extends FormOptions = {}>(
  pattern: Pattern,
  options?: Options,
): FormRoutes<Pattern, Options> {
  return route(pattern, {
    [options?.names?.index ?? 'index']: { method: 'GET', pattern: '/' },
    [options?.names?.action ?? 'action']: { method: options?.formMethod ?? 'POST', pattern: '/' },
  }) as FormRoutes<Pattern, Options>
}
