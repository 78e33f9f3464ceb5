import { Matcher } from './matcher.ts'
import { type AnyParams, type RequestContext, routingPathname } from './request-context.ts'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Whether a request may change state: its method is not `GET`, `HEAD` or `OPTIONS`. Both the method
 * the client sent and `context.method` count, so a method override can neither hide a `POST` (sent
 * as `POST`, overridden to `GET`) nor, if it ran before this check, turn a safe request into a
 * write unchecked. An override that runs after it is not seen.
 */
export function isUnsafeRequest(context: RequestContext<AnyParams>): boolean {
  return !safeMethods.has(context.request.method.toUpperCase()) || !safeMethods.has(context.method)
}

/**
 * Routes a protection middleware lets through: pathname patterns in the router's syntax
 * (`'/webhooks/*'`, `'/api/hooks/:provider'`), or a function that decides from the context.
 */
export type Exemption = readonly string[] | ((context: RequestContext<AnyParams>) => boolean)

/**
 * Compiles an {@link Exemption} into a check. Patterns match the routing pathname exactly (case and
 * trailing slash as written); a pathname with malformed percent-encoding is never exempt.
 *
 * @throws {TypeError} when the option is neither an array of patterns nor a function, or a pattern
 * is malformed.
 */
export function compileExemption(
  exempt: Exemption | undefined,
  owner: string,
): (context: RequestContext<AnyParams>) => boolean {
  if (exempt === undefined) return () => false
  if (typeof exempt === 'function') return exempt
  if (!Array.isArray(exempt)) {
    throw new TypeError(`${owner}: \`exempt\` must be an array of route patterns or a function`)
  }
  if (exempt.length === 0) return () => false
  let matcher = new Matcher<true>()
  for (let pattern of new Set<unknown>(exempt)) {
    if (typeof pattern !== 'string') {
      throw new TypeError(`${owner}: every \`exempt\` pattern must be a string`)
    }
    try {
      matcher.add('ANY', pattern, true)
    } catch (error) {
      let reason = error instanceof Error ? error.message : String(error)
      throw new TypeError(`${owner}: invalid \`exempt\` pattern "${pattern}": ${reason}`)
    }
  }
  return (context) => {
    try {
      return matcher.find(routingPathname(context), []) !== undefined
    } catch {
      return false
    }
  }
}
