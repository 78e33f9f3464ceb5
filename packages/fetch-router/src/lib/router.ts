import type { ContextRouter } from './context-router.ts'
import { Matcher } from './matcher.ts'
import type { AnyMiddleware, ProvidedBy } from './middleware.ts'
import { RequestDispatcher } from './request-dispatcher.ts'
import { createRouteBuilder, type RouteBuilder } from './route-builder.ts'
import type { RouteEntry } from './route-entry.ts'
import { type RouterOptions, resolveRouterOptions } from './router-options.ts'

/** A router: registers routes and answers requests with {@link Router.fetch}. */
export interface Router<Extra extends object = {}> extends RouteBuilder<Extra>, ContextRouter {
  /**
   * Answers a request. Takes what `fetch()` takes. Never throws and never rejects for bad input:
   * an unparsable URL or request init gets a 400, malformed percent-encoding in the path a 400, a
   * path longer than `maxPathLength` a 414, an uncaught error a 500 without details. Rejects only
   * with the abort reason when the request's signal aborts, even while a handler is still working
   * (at once for a runtime's signal; for an adapter's made on demand, when the waiting step settles
   * or 20 to 40 ms into the wait), and then no further middleware or handler starts. Never throws
   * synchronously; a `Request` whose `method` or `signal` getter throws (a broken subclass) makes
   * it reject with that error. An answer to a `HEAD` request never has a body. Safe to pass
   * detached: `serve({ fetch: router.fetch })`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>
}

/**
 * Creates a router: a {@link RouteBuilder} that registers routes into one matcher, and a
 * `fetch` that answers requests from it.
 *
 * @example
 * const router = createRouter()
 * router.get('/books/:id', ({ params }) => json({ id: params.id }))
 * serve({ fetch: router.fetch })
 * @throws {TypeError} when an option has the wrong type.
 */
export function createRouter<const List extends readonly AnyMiddleware[]>(
  options: RouterOptions<List> = {},
): Router<ProvidedBy<List>> {
  let settings = resolveRouterOptions(options)
  let matcher = new Matcher<RouteEntry>({
    ignoreCase: settings.ignoreCase,
    ignoreTrailingSlash: settings.trailingSlash === 'ignore',
  })
  let builder = createRouteBuilder('/', (entries) =>
    matcher.addAll(
      entries.map((entry) => ({ method: entry.method, pattern: entry.pattern, data: entry })),
    ),
  )
  let router = builder as RouteBuilder<object, string> & ContextRouter
  router.fetch = new RequestDispatcher(router, matcher, settings).fetch
  return router as unknown as Router<ProvidedBy<List>>
}
