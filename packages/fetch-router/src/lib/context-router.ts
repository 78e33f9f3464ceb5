/**
 * The router as a request context exposes it (`context.router`): what a handler may ask of it
 * while answering a request, which is to answer another one. A {@link Router} is one. Kept in its
 * own module so that the request context does not depend on the router's.
 */
export interface ContextRouter {
  /**
   * Answers a request as the router's own `fetch` does: through the router middleware, then the
   * route that matches. Takes what `fetch()` takes.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>
}
