/**
 * What a response was made with: its body and status text. The shape of `@x/session`'s
 * `ResponseSource` (what `commitSession` takes), written out here because this module is part of
 * the router's main entry, which must not need `@x/session` (an optional peer).
 */
export interface MadeWith {
  readonly body: string | null
  readonly statusText?: string
}

/** What {@link makeResponse} keeps on a response, with the response itself. */
interface MadeTag extends MadeWith {
  /** The response tagged: a tag copied onto another object (`Object.assign`) does not count. */
  readonly response: Response
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

/** What `response` was made with, if {@link makeResponse} made it. */
export function madeWith(response: Response): MadeWith | undefined {
  let tag = (response as MadeResponse)[madeWithKey]
  return tag?.response === response ? tag : undefined
}
