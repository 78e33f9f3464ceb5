import type { AnyMiddleware, Middleware, ProvidedBy } from './middleware.ts'
import type { Params } from './params.ts'
import type { AnyParams, RequestContext } from './request-context.ts'
import type { Route, RouteMap } from './route-map.ts'

/** What a route can be registered with: a pattern string or a {@link Route}. */
export type RouteTarget = string | Route

/** The pattern of a route target. */
export type PatternOf<Target> = Target extends string
  ? Target
  : Target extends Route<infer _Method, infer Pattern>
    ? Pattern
    : never

/** The context a handler receives: a {@link RequestContext} with typed params, plus `Extra`. */
export type Context<
  RouteParams extends AnyParams = AnyParams,
  Extra extends object = {},
> = RequestContext<RouteParams> & Extra

/** Answers a request: `(context) => Response`, possibly async. */
export type RequestHandler<HandlerContext = Context> = (
  context: HandlerContext,
) => Response | Promise<Response>

/** An action with its own middleware, which runs after router and controller middleware. */
export interface ActionObject<
  Target extends RouteTarget,
  Extra extends object = {},
  List extends readonly AnyMiddleware[] = readonly AnyMiddleware[],
> {
  /** Middleware for this action only. */
  middleware?: readonly [...List]
  /**
   * The handler, called with params typed from the route and what the middleware provides.
   * (Declared as a method so that an action made by {@link createAction} fits a controller.)
   */
  handler(
    context: Context<Params<PatternOf<Target>>, Extra & ProvidedBy<List>>,
  ): Response | Promise<Response>
}

/**
 * What a route is mapped to: a {@link RequestHandler}, or an {@link ActionObject} with middleware.
 * `context.params` is typed from the route's pattern.
 */
export type Action<
  Target extends RouteTarget,
  Extra extends object = {},
  List extends readonly AnyMiddleware[] = readonly AnyMiddleware[],
> = RequestHandler<Context<Params<PatternOf<Target>>, Extra>> | ActionObject<Target, Extra, List>

type ControllerActions<Routes extends RouteMap, Extra extends object> = {
  [Name in keyof Routes as Routes[Name] extends Route ? Name : never]: Routes[Name] extends Route
    ? Action<Routes[Name], Extra>
    : never
}

/**
 * Handlers for every route of a route map, by name, with middleware shared by all of them.
 * Nested route maps are mapped with their own `router.map` call.
 */
export interface Controller<
  Routes extends RouteMap,
  Extra extends object = {},
  List extends readonly AnyMiddleware[] = readonly AnyMiddleware[],
> {
  /** Middleware for every action of this controller; runs before each action's own. */
  middleware?: readonly [...List]
  /** One action per route of the map, by the route's name. */
  actions: ControllerActions<Routes, Extra & ProvidedBy<List>>
}

/**
 * Returns `action` unchanged, typing its params from `target`: for actions defined away from the
 * `router.map` call that uses them.
 */
export function createAction<
  Target extends RouteTarget,
  Extra extends object,
  const List extends readonly AnyMiddleware[],
>(_target: Target, action: Action<Target, Extra, List>): Action<Target, Extra, List> {
  return action
}

/**
 * Returns `controller` unchanged, checking its action names and typing their params against
 * `routes`: for controllers defined in their own module.
 */
export function createController<
  Routes extends RouteMap,
  Extra extends object,
  const List extends readonly AnyMiddleware[],
>(_routes: Routes, controller: Controller<Routes, Extra, List>): Controller<Routes, Extra, List> {
  return controller
}

/** An action reduced to what the router runs. */
export interface NormalizedAction {
  handler: RequestHandler<RequestContext<AnyParams>>
  middleware: readonly Middleware<object>[]
}

/**
 * Checks an action given at registration and returns its handler and middleware.
 *
 * @throws {TypeError} naming `where` when the action is not a function or `{ handler }` object, or
 * its middleware is not a list of functions.
 */
export function normalizeAction(action: unknown, where: string): NormalizedAction {
  if (typeof action === 'function') {
    return { handler: action as NormalizedAction['handler'], middleware: [] }
  }
  if (!isRecord(action) || typeof action.handler !== 'function') {
    throw new TypeError(
      `${where}: expected a handler function or an object with a handler function`,
    )
  }
  return {
    handler: action.handler as NormalizedAction['handler'],
    middleware: checkMiddleware(action.middleware, where),
  }
}

/**
 * Checks a middleware list given at registration and returns a copy of it.
 *
 * @throws {TypeError} when it is not an array of functions.
 */
export function checkMiddleware(list: unknown, where: string): readonly Middleware<object>[] {
  if (list === undefined) return []
  if (!Array.isArray(list)) throw new TypeError(`${where}: middleware must be an array`)
  for (let [index, item] of list.entries()) {
    if (typeof item !== 'function') {
      throw new TypeError(`${where}: middleware #${index + 1} is not a function`)
    }
  }
  // A copy: pushing to the caller's array later must not change what was checked.
  return [...list] as Middleware<object>[]
}

/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
