/** What a response was made with: its body and status text (the shape `commitSession` takes). */
export interface MadeWith {
  readonly body: string | null
  readonly statusText?: string
}

/**
 * The property under which a response this package made keeps what it was made with: a property of
 * an object it made, not a WeakMap entry, which costs more per response than making it. Nothing
 * outside this module can name it.
 */
const madeWithKey = Symbol('madeWith')

interface MadeResponse extends Response {
  [madeWithKey]?: MadeWith
}

/**
 * `new Response(body, init)`, remembered with its body: the session middleware then copies it to
 * carry a cookie from that body (`commitSession`'s `madeWith`) rather than from its stream, which
 * keeps a server adapter's fast path for string bodies and lets the response be sent again.
 */
export function makeResponse(body: string | null, init?: ResponseInit): Response {
  let response: MadeResponse = new Response(body, init)
  response[madeWithKey] = { body, statusText: init?.statusText }
  return response
}

/** What `response` was made with, if {@link makeResponse} made it. */
export function madeWith(response: Response): MadeWith | undefined {
  return (response as MadeResponse)[madeWithKey]
}
