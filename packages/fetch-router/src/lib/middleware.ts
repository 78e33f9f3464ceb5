import { isResponse } from './is-response.ts'
import {
  type AnyParams,
  type RequestContext,
  requestAbort,
  throwIfAborted,
} from './request-context.ts'

declare const provided: unique symbol

/**
 * Runs the rest of the chain (later middleware, then the handler) and resolves to its response.
 * Call it at most once.
 */
export type NextFunction = () => Promise<Response>

/**
 * A step around the handler: `(context, next) => Response`. Return a response to answer early,
 * `return next()` to pass the request on, or `await next()` to act on the response (and return
 * it, a new one, or nothing to keep it). Errors thrown downstream reach it from `await next()`.
 *
 * `Provided` types the context properties the middleware installs with
 * `context.set(key, value, { property })`, so handlers behind it see them:
 *
 * @example
 * function currentUser(): Middleware<{ user: User }> {
 *   return async (context, next) => {
 *     context.set(UserKey, await loadUser(context), { property: 'user' })
 *     return next()
 *   }
 * }
 */
export interface Middleware<Provided extends object = object> {
  (
    context: RequestContext<AnyParams>,
    next: NextFunction,
    // biome-ignore lint/suspicious/noConfusingVoidType: `void` lets `await next()` end a middleware
  ): Response | void | Promise<Response | void>
  /** Type-only: the properties this middleware installs on the context. Never set at runtime. */
  readonly [provided]?: Provided
}

/**
 * Any middleware, whatever it provides: the constraint for middleware lists. (`any` rather than
 * `object`: with `object`, TypeScript infers nothing from a list holding a generic call.)
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyMiddleware = Middleware<any>

/** The context properties a list of middleware installs, merged into one object type. */
export type ProvidedBy<List extends readonly AnyMiddleware[]> = UnionToIntersection<
  ProvidedOf<List[number]>
>

/** What one middleware provides; `{}` for plain functions and untyped (`any`) middleware. */
type ProvidedOf<Item> = Item extends { readonly [provided]?: infer Provided }
  ? [Provided] extends [never]
    ? {}
    : unknown extends Provided
      ? {}
      : Exclude<Provided, undefined>
  : {}

type UnionToIntersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (
  value: infer Intersection,
) => void
  ? Intersection & object
  : never

/**
 * Returns its arguments as a typed tuple: keeps what each middleware provides when a chain is
 * stored in a variable before it reaches `createRouter` or an action.
 */
export function createMiddleware<const List extends readonly Middleware<object>[]>(
  ...middleware: List
): List {
  return middleware
}

/**
 * Runs `middleware` in order around `handler`. Checks the request's abort signal before each step
 * and races each step's promise against it (see `RequestAbort`): once the request aborts, no
 * further step starts, the chain rejects with the abort reason, and a middleware awaiting `next()`
 * sees the reason thrown there (it may clean up; what it answers is ignored).
 *
 * @throws {Error} when a middleware calls `next()` twice, or returns without a response and
 * without calling `next()`.
 */
export function runMiddleware(
  middleware: readonly Middleware<object>[],
  context: RequestContext<AnyParams>,
  handler: (context: RequestContext<AnyParams>) => Response | Promise<Response>,
): Promise<Response> {
  let step = async (index: number): Promise<Response> => {
    throwIfAborted(context)
    let current = middleware[index]
    if (current === undefined) return settleStep(context, handler(context))
    let downstream: Promise<Response> | undefined
    let next: NextFunction = () => {
      if (downstream !== undefined) throw new Error('next() was called more than once')
      downstream = step(index + 1)
      // Marked handled: a middleware that starts next() and awaits something else first must not
      // turn an abort in between into an unhandled rejection. Whoever awaits it still sees it.
      downstream.catch(ignore)
      return downstream
    }
    let result = current(context, next)
    let response: unknown
    if (result === downstream) {
      // `return next()`: the steps downstream check and race the signal themselves; racing their
      // promise too would make an adapter's on-demand signal for a chain that never waits.
      response = await downstream
      throwIfAborted(context)
    } else {
      response = await settleStep(context, result)
    }
    if (isResponse(response)) return response
    if (downstream !== undefined) return downstream
    throw new Error(
      `Middleware ${current.name || `#${index + 1}`} returned no Response and did not call next()`,
    )
  }
  return step(0)
}

/**
 * What one step (a middleware, a handler) answered, ended by the request's abort: a promise is
 * raced against the signal, and after a synchronous answer the signal is checked once more, so a
 * step that aborted the request does not answer it.
 *
 * @throws the abort reason when the request was aborted.
 */
export function settleStep<Value>(
  context: RequestContext<AnyParams>,
  result: Value | PromiseLike<Value>,
): Value | Promise<Value> {
  if (isPromiseLike(result)) return requestAbort(context).race(result)
  throwIfAborted(context)
  return result
}

function ignore(): void {}

/** Whether `value` is a thenable: a promise, of this realm or another. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}
