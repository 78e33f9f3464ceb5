/**
 * What a response was made with: its body, status text and, while nothing has read
 * `response.headers`, its headers. The shape of `@x/session`'s `ResponseSource` (what
 * `commitSession` takes), written out here because this module is part of the router's main
 * entry, which must not need `@x/session` (an optional peer).
 */
export interface MadeWith {
  readonly body: string | null
  readonly statusText?: string
  readonly headers?: Readonly<Record<string, string>>
}

/** What {@link makeResponse} keeps on a response, with the response itself. */
interface MadeTag extends MadeWith {
  /** The response tagged: a tag copied onto another object (`Object.assign`) does not count. */
  readonly response: Response
  /** Dropped at the first read of `response.headers`: whoever read them may have changed them. */
  headers?: Readonly<Record<string, string>>
}

/**
 * The property under which a response this package made keeps what it was made with: a property of
 * an object it made, not a WeakMap entry, which costs more per response than making it. Nothing
 * outside this module can name it.
 */
const madeWithKey = Symbol('madeWith')

interface MadeResponse extends Response {
  [madeWithKey]?: MadeTag
}

/**
 * `new Response(body, init)`, remembered with its body: the session middleware then copies it to
 * carry a cookie from that body (`commitSession`'s `madeWith`) rather than from its stream, which
 * keeps a server adapter's fast path for string bodies, and an answer to `HEAD` is made without
 * touching its body.
 */
export function makeResponse(body: string | null, init?: ResponseInit): Response {
  let response: MadeResponse = new Response(body, init)
  response[madeWithKey] = { body, statusText: init?.statusText, response }
  return response
}

/**
 * `new Response(body, { status, headers: { 'content-type': type } })`, remembered like
 * {@link makeResponse} and with its headers, for as long as nothing reads `response.headers`. The
 * session middleware then checks and copies those instead of reading `response.headers`: on Node
 * with `@hono/node-server`, reading a light response's headers builds a `Headers` object, and the
 * adapter then writes the response from it rather than from the plain record (about a tenth of the
 * server CPU of a session request in `pnpm bench`).
 */
export function makeTypedResponse(body: string, type: string, status = 200): Response {
  let headers = { 'content-type': type }
  let subclass = watchingResponse()
  let response: MadeResponse = new subclass(body, { status, headers })
  // A global `Response` whose constructor ignores `new.target` (a wrapper, a Proxy) makes an
  // object the subclass's getter does not watch: its headers are then read, not remembered.
  let watched = Object.getPrototypeOf(response) === subclass.prototype
  response[madeWithKey] = {
    body,
    statusText: undefined,
    response,
    headers: watched ? headers : undefined,
  }
  return response
}

/** The subclass {@link makeTypedResponse} makes, with the global `Response` it extends. */
let watching: { base: typeof Response; subclass: typeof Response } | undefined

/**
 * A subclass of the global `Response` whose `headers` getter first drops the remembered headers.
 * Made again when the global changes: a server adapter may replace it after this module loaded
 * (`@hono/node-server` does), and a response must be of the adapter's class to take its fast path.
 * A subclass, not an own accessor on each response: `Object.defineProperty` costs several times as
 * much as the response.
 */
function watchingResponse(): typeof Response {
  let base = globalThis.Response
  if (watching?.base !== base) watching = { base, subclass: watchingSubclass(base) }
  return watching.subclass
}

function watchingSubclass(base: typeof Response): typeof Response {
  return class Response extends base {
    override get headers(): Headers {
      // Whoever reads the headers may change them: from now on they are read, not remembered.
      let tag = (this as MadeResponse)[madeWithKey]
      if (tag !== undefined) tag.headers = undefined
      return super.headers
    }
  }
}

/** What `response` was made with, if {@link makeResponse} or {@link makeTypedResponse} made it. */
export function madeWith(response: Response): MadeWith | undefined {
  let tag = (response as MadeResponse)[madeWithKey]
  return tag?.response === response ? tag : undefined
}
