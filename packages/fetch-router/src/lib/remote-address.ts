const addresses = new WeakMap<Request, string>()

/**
 * Records the IP address of the peer that sent `request` (the other end of the TCP connection),
 * which a Fetch API `Request` does not carry, and returns the request. Call it in your server's
 * fetch handler with what the runtime reports; {@link trustProxy} reads it back to decide whether
 * the connection came from your proxy.
 *
 * - Node, `@hono/node-server`: `(request, env) => router.fetch(withRemoteAddress(request,
 *   env.incoming.socket.remoteAddress))`
 * - Bun: `fetch(request, server) { return router.fetch(withRemoteAddress(request,
 *   server.requestIP(request)?.address)) }`
 * - Deno: `Deno.serve((request, info) => router.fetch(withRemoteAddress(request,
 *   info.remoteAddr.hostname)))`
 *
 * `undefined` (a Unix socket, a runtime that does not say) records nothing. The address is kept
 * for as long as the request object lives, keyed by the object: pass this same request to
 * `router.fetch`, without an `init`, or the router makes a new `Request` that has no address.
 */
export function withRemoteAddress(request: Request, address: string | undefined): Request {
  if (typeof address === 'string' && address !== '') addresses.set(request, address)
  return request
}

/** The peer address recorded for `request` by {@link withRemoteAddress}, if any. */
export function remoteAddress(request: Request): string | undefined {
  return addresses.get(request)
}
