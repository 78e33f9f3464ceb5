/** The request methods that may carry a body: `POST`, `PUT`, `PATCH`, `DELETE` and `OPTIONS`. */
export const RequestBodyMethods = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** A request method that may carry a body. */
export type RequestBodyMethod = (typeof RequestBodyMethods)[number]

/** Every request method a route can be registered for. */
export const RequestMethods = ['GET', 'HEAD', ...RequestBodyMethods] as const

/** A request method a route can be registered for. */
export type RequestMethod = (typeof RequestMethods)[number]

const requestMethods = new Set<string>(RequestMethods)

/** Whether `method` (upper case) is one of {@link RequestMethods}. */
export function isRequestMethod(method: string): method is RequestMethod {
  return requestMethods.has(method)
}
