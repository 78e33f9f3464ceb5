import { Route } from '../route-map.ts'

/** A `GET` route for `pattern`; exported from `@x/fetch-router/routes` as `get`. */
export function createGetRoute<Pattern extends string>(pattern: Pattern): Route<'GET', Pattern> {
  return new Route('GET', pattern)
}

/** A `HEAD` route for `pattern`; exported as `head`. */
export function createHeadRoute<Pattern extends string>(pattern: Pattern): Route<'HEAD', Pattern> {
  return new Route('HEAD', pattern)
}

/** A `POST` route for `pattern`; exported as `post`. */
export function createPostRoute<Pattern extends string>(pattern: Pattern): Route<'POST', Pattern> {
  return new Route('POST', pattern)
}

/** A `PUT` route for `pattern`; exported as `put`. */
export function createPutRoute<Pattern extends string>(pattern: Pattern): Route<'PUT', Pattern> {
  return new Route('PUT', pattern)
}

/** A `PATCH` route for `pattern`; exported as `patch`. */
export function createPatchRoute<Pattern extends string>(
  pattern: Pattern,
): Route<'PATCH', Pattern> {
  return new Route('PATCH', pattern)
}

/** A `DELETE` route for `pattern`; exported as `del` (`delete` is a reserved word). */
export function createDeleteRoute<Pattern extends string>(
  pattern: Pattern,
): Route<'DELETE', Pattern> {
  return new Route('DELETE', pattern)
}

/** An `OPTIONS` route for `pattern`; exported as `options`. */
export function createOptionsRoute<Pattern extends string>(
  pattern: Pattern,
): Route<'OPTIONS', Pattern> {
  return new Route('OPTIONS', pattern)
}
