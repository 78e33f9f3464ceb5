import { isAborted, throwIfSignalAborted } from './abort-signals.ts'
import type { ContextRouter } from './context-router.ts'
import { hasPlatformSignal } from './platform-signal.ts'
import { RequestAbort } from './request-abort.ts'

/**
 * A typed key for values kept in a {@link RequestContext}, made by {@link createContextKey}. Keys
 * are compared by identity, so two keys never collide, whatever they are called.
 */
export interface ContextKey<Value> {
  /** The value `context.get(key)` returns while nothing was set for the key. */
  readonly defaultValue?: Value
}

/**
 * Creates a context key. With a `defaultValue`, `context.get(key)` returns it (typed as never
 * `undefined`) until a value is set; without one, `get` returns `undefined` until then.
 *
 * @example
 * const CurrentUser = createContextKey<User>()
 * const Locale = createContextKey('en-US')
 */
export function createContextKey<Value>(): ContextKey<Value>
export function createContextKey<Value>(
  defaultValue: Value,
): ContextKey<Value> & { readonly defaultValue: Value }
export function createContextKey<Value>(...args: [defaultValue?: Value]): ContextKey<Value> {
  return args.length === 0 ? {} : { defaultValue: args[0] }
}

/**
 * The value type stored under a key: `Value` for a `ContextKey<Value>`, the instance type when a
 * class is its own key (`context.set(FormData, form)`).
 */
export type ContextValue<Key> = Key extends abstract new (
  ...args: never[]
) => infer Instance
  ? Instance
  : Key extends ContextKey<infer Value>
    ? Value
    : unknown

/** What `context.get(key)` returns: the value type, or `undefined` too when the key has no default. */
export type GetContextValue<Key> = Key extends { readonly defaultValue: infer Value }
  ? Value
  : ContextValue<Key> | undefined

/** The params a route captured: a name for each param, `undefined` for an unmatched optional one. */
export type AnyParams = Record<string, string | undefined>

/** Options for {@link RequestContext.set}. */
export interface SetContextOptions {
  /**
   * Also install the value as a read-only property of the context under this name, e.g.
   * `'session'` for `context.session`. The name must not clash with a built-in property or with a
   * property another key installed, and a key installs one name at most. Assigning to the property
   * throws; a later `set` of the key updates it. The property is not enumerable: it is left out of
   * `Object.keys(context)`, spreads and `JSON.stringify(context)`. `get(key)` stays the source of
   * truth: the property is an own data property that code could still delete or redefine on
   * purpose.
   */
  property: string
}

let readPathname: (context: RequestContext<AnyParams>) => string
let readHttps: (context: RequestContext<AnyParams>) => boolean
let abortOf: (context: RequestContext<AnyParams>) => RequestAbort
let readySignalOf: (context: RequestContext<AnyParams>) => AbortSignal | undefined

/**
 * Everything about one request that handlers and middleware share: the request, its URL, method,
 * matched params, and values middleware stores by key. Every middleware and the handler of a
 * request receive the same context object.
 */
export class RequestContext<Params extends AnyParams = AnyParams> {
  static {
    readPathname = (context) => context.#url?.pathname ?? pathnameOf(context.request.url)
    readHttps = (context) =>
      context.#url === undefined
        ? /^https:/i.test(context.request.url)
        : context.#url.protocol === 'https:'
    abortOf = (context) => {
      if (context.#abort === undefined) {
        let signal = readySignalOf(context)
        context.#abort = new RequestAbort(
          signal ?? (() => (context.#signal ??= context.request.signal)),
        )
      }
      return context.#abort
    }
    readySignalOf = (context) => {
      if (context.#signal === undefined && !context.#signalOnDemand) {
        // A getter that throws throws again at the next check: nothing is cached before it returns.
        if (hasPlatformSignal(context.request)) context.#signal = context.request.signal
        else context.#signalOnDemand = true
      }
      return context.#signal
    }
  }

  /**
   * The request as the router received it. Prefer the context's own `method`, `url` and `headers`:
   * middleware may have changed those.
   */
  readonly request: Request
  /**
   * The request method, upper case. Router middleware may change it (method override for HTML
   * forms) before routes are matched.
   */
  method: string
  /** The params the matched route captured, percent-decoded. Empty in router middleware. */
  params: Params
  #url: URL | undefined
  #headers: Headers | undefined
  // Made on first use: most requests set few values and no properties.
  #values: Map<object, unknown> | undefined
  #propertyOf: Map<object, string> | undefined
  #router: ContextRouter | undefined
  // Made when a step first answers with a promise: synchronous answers never race the signal.
  #abort: RequestAbort | undefined
  // The request's signal, once read: at once when the runtime made it with the request, else when
  // a step still waits after the microtasks ran (an adapter's signal made on demand costs
  // microseconds on Node 20).
  #signal: AbortSignal | undefined
  #signalOnDemand = false

  /**
   * The value stored under `key`; when none was set, the key's default value, or `undefined` for a
   * key without one. An own property bound to this context, as in Remix: it may be destructured
   * (`({ get }) => get(FormData)`), replaced, spied on, and is kept by `{ ...context }`.
   */
  get = <Key extends object>(key: Key): GetContextValue<Key> =>
    (this.#values?.has(key)
      ? this.#values.get(key)
      : (key as ContextKey<unknown>).defaultValue) as GetContextValue<Key>

  /** Whether a value was set for `key` (a default value does not count). Bound, like `get`. */
  has = (key: object): boolean => this.#values?.has(key) ?? false

  /**
   * Stores `value` under `key`, replacing any earlier value. Bound, like `get`. With
   * `{ property }`, also installs the value as a read-only, non-enumerable property of the context
   * (left out of `Object.keys`, spreads and `JSON.stringify`, so a logged context does not dump a
   * session). `options` may be `undefined` or `null` for none.
   *
   * @throws {TypeError} when `options.property` is empty, already a property of the context, or
   * installed by another key.
   */
  set = <Key extends object>(
    key: Key,
    value: ContextValue<Key>,
    options?: SetContextOptions | null,
  ): void => {
    let property =
      options != null ? this.#claimProperty(key, options.property) : this.#propertyOf?.get(key)
    this.#values ??= new Map()
    this.#values.set(key, value)
    if (property !== undefined) {
      // A read-only data property rather than a getter: several times cheaper to define, read
      // like a field, and redefined here whenever the key's value changes. Not enumerable, as in
      // Remix: it stays out of logs and spreads of the context.
      Object.defineProperty(this, property, { value, enumerable: false, configurable: true })
    }
  }

  /** @param request The incoming request. */
  constructor(request: Request) {
    this.request = request
    let method = request.method
    // Request already upper-cases the standard methods but PATCH; spare the copy for them.
    this.method = isUpperCaseMethod(method) ? method : method.toUpperCase()
    this.params = {} as Params
  }

  /**
   * The request URL, parsed on first use. Router middleware may replace it to rewrite which route
   * matches.
   */
  get url(): URL {
    this.#url ??= new URL(this.request.url)
    return this.#url
  }

  set url(url: URL) {
    this.#url = url
  }

  /** A mutable copy of the request headers, made on first use. */
  get headers(): Headers {
    this.#headers ??= new Headers(this.request.headers)
    return this.#headers
  }

  set headers(headers: Headers) {
    this.#headers = headers
  }

  /**
   * The router handling this request, to answer another request through it:
   * `context.router.fetch(url)`.
   *
   * @throws {Error} when the context was made outside a router (`new RequestContext(request)`).
   */
  get router(): ContextRouter {
    if (this.#router === undefined) throw new Error('This request context has no router')
    return this.#router
  }

  set router(router: ContextRouter) {
    this.#router = router
  }

  /** Claims `property` for `key` (see `set`), and gives it. */
  #claimProperty(key: object, property: string): string {
    if (typeof property !== 'string' || property === '') {
      throw new TypeError('A context property name must be a non-empty string')
    }
    if (this.#propertyOf === undefined) {
      // The first property installed on this context (the usual case): no other key to clash with.
      this.#checkNotBuiltIn(property)
      this.#propertyOf = new Map()
      this.#propertyOf.set(key, property)
      return property
    }
    let current = this.#propertyOf.get(key)
    if (current === property) return property
    if (current !== undefined) {
      throw new TypeError(`This key already installs the context property "${current}"`)
    }
    for (let [other, name] of this.#propertyOf) {
      if (name === property && other !== key) {
        throw new TypeError(`Context property "${property}" is already installed by another key`)
      }
    }
    this.#checkNotBuiltIn(property)
    this.#propertyOf.set(key, property)
    return property
  }

  /** Refuses a name the context already has: built in, or assigned by code. */
  #checkNotBuiltIn(property: string): void {
    if (property in this) {
      throw new TypeError(`Context property "${property}" would shadow a built-in property`)
    }
  }
}

/** The pathname the router matches: the context's URL if middleware touched it, else the request's. */
export function routingPathname(context: RequestContext<AnyParams>): string {
  return readPathname(context)
}

/**
 * Whether `context.url` is `https:`, without making the URL when no middleware touched it (the
 * request's URL then says, in any case).
 */
export function isHttpsRequest(context: RequestContext<AnyParams>): boolean {
  return readHttps(context)
}

/** The request's abort race, made on first use; it reads the request's signal. */
export function requestAbort(context: RequestContext<AnyParams>): RequestAbort {
  return abortOf(context)
}

/**
 * Throws the abort reason when the request is aborted, as far as can be known without making its
 * signal: a signal the runtime made with the request, or one already read, is checked; the signal
 * of an adapter's request that makes it on first read (`@hono/node-server`) is left unmade until a
 * step still waits once the microtasks have run (see `RequestAbort`). Such a signal aborts on an
 * event (the client went away), so it cannot abort while the steps settle on microtasks alone.
 *
 * @throws the abort reason, or what the request's `signal` getter throws.
 */
export function throwIfAborted(context: RequestContext<AnyParams>): void {
  let signal = readySignalOf(context)
  if (signal !== undefined) throwIfSignalAborted(signal)
}

/**
 * Whether the request has aborted, as far as can be known without making its signal (see
 * {@link throwIfAborted}): a signal made on demand is read once a step waited for an event, and
 * only an event can abort it.
 *
 * @throws what the request's `signal` getter throws.
 */
export function isRequestAborted(context: RequestContext<AnyParams>): boolean {
  let signal = readySignalOf(context)
  return signal !== undefined && isAborted(signal)
}

/** Whether `method` is a standard method in upper case (compared one by one: cheaper than a hash). */
function isUpperCaseMethod(method: string): boolean {
  return (
    method === 'GET' ||
    method === 'POST' ||
    method === 'HEAD' ||
    method === 'PUT' ||
    method === 'DELETE' ||
    method === 'PATCH' ||
    method === 'OPTIONS'
  )
}

/** The raw (still percent-encoded) pathname of a serialized absolute URL, without parsing it. */
function pathnameOf(href: string): string {
  let authority = href.indexOf('//')
  let start = href.indexOf('/', authority === -1 ? 0 : authority + 2)
  if (start === -1) return '/'
  // Searched by the engine rather than character by character in JavaScript.
  let query = href.indexOf('?', start)
  let fragment = href.indexOf('#', start)
  let end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment)
  return href.slice(start, end === -1 ? href.length : end)
}
