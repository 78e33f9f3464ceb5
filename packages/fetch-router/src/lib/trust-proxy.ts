import { parseForwarded } from './forwarded-header.ts'
import { isHostAndPort } from './host-name.ts'
import { HttpError } from './http-error.ts'
import { type IpNetwork, inNetwork, parseIp, parseNetwork } from './ip-address.ts'
import type { Middleware } from './middleware.ts'
import { remoteAddress } from './remote-address.ts'

/** Options for {@link trustProxy}. */
export interface TrustProxyOptions {
  /**
   * Which connections come from your proxy. Either the proxy's IP addresses or networks
   * (`['10.0.0.2']`, `['10.0.0.0/8', 'fd00::/8']`; IPv4 as strict dotted quads: `10.1` or
   * `010.0.0.1` are a `TypeError`), compared with the peer address your server
   * recorded with {@link withRemoteAddress} (a request without one is never trusted), or a
   * function of the request that returns `true` for a connection from the proxy. Required: no
   * connection is trusted by default. `() => true` trusts every connection, which is right only
   * when nothing but the proxy can reach the server (it listens on a private network or a Unix
   * socket); otherwise any client could claim to be on `https` or on another host.
   */
  proxies: readonly string[] | ((request: Request) => boolean)
  /**
   * The header your proxy writes: `'x-forwarded'` for `X-Forwarded-Proto` and `X-Forwarded-Host`
   * (nginx, Caddy, HAProxy, most load balancers), `'forwarded'` for RFC 7239 `Forwarded`. Only
   * this one is read: the other would reach the app as the client sent it. Default
   * `'x-forwarded'`.
   */
  header?: 'x-forwarded' | 'forwarded'
  /**
   * How many proxies stand in front of the app, each adding its own value to the header (a CDN,
   * then a load balancer: `2`). The value read is the one the outermost of them wrote, counted
   * from the end; values before it came from the client and are ignored. A header with fewer
   * values than `hops` is ignored whole (the URL keeps that part): the outer proxies did not
   * write it, so a client that reached an inner proxy directly did. Proxies that replace the
   * header rather than append to it leave one value: use `1` with them. Default `1`.
   */
  hops?: number
}

/**
 * Middleware that makes `context.url` show the scheme and host the browser used when the app runs
 * behind a reverse proxy (a TLS-terminating load balancer, say): it reads `X-Forwarded-Proto` and
 * `X-Forwarded-Host` (or `Forwarded`) and rewrites `context.url`, but only for connections from
 * the proxies you name. Without it, an app behind a proxy sees `http://` and the proxy's upstream
 * host; with it, cookies get `Secure` on `https` and {@link crossOrigin} compares `Origin` with
 * the origin the browser saw. A header that is absent leaves that part unchanged; a scheme other
 * than `http` or `https`, or a host that is not a DNS name, an IPv4 dotted quad or a bracketed
 * IPv6 address with an optional port from 1 to 65535, answers `400`. Put it first in the router
 * middleware, before {@link crossOrigin}.
 *
 * @example
 * const router = createRouter({ middleware: [trustProxy({ proxies: ['10.0.0.2'] }), crossOrigin()] })
 * serve({ fetch: (request, env) => router.fetch(withRemoteAddress(request, env.incoming.socket.remoteAddress)) })
 * @throws {TypeError} at creation when `proxies` is missing or holds something that is not an IP
 * address or network, `header` is unknown, or `hops` is not a positive integer.
 */
export function trustProxy(options: TrustProxyOptions): Middleware {
  let isTrusted = trustCheck(options?.proxies)
  let header = options.header ?? 'x-forwarded'
  if (header !== 'x-forwarded' && header !== 'forwarded') {
    throw new TypeError(`trustProxy(): header must be 'x-forwarded' or 'forwarded', got ${header}`)
  }
  let hops = options.hops ?? 1
  if (!Number.isInteger(hops) || hops < 1) {
    throw new TypeError(`trustProxy(): hops must be a positive integer, got ${hops}`)
  }

  return function trustProxyMiddleware(context, next) {
    if (!isTrusted(context.request)) return next()
    let headers = context.request.headers
    let forwarded =
      header === 'forwarded'
        ? pick(parseForwarded(headers.get('Forwarded') ?? ''), hops)
        : {
            proto: pick(list(headers.get('X-Forwarded-Proto')), hops),
            host: pick(list(headers.get('X-Forwarded-Host')), hops),
          }
    if (forwarded?.proto === undefined && forwarded?.host === undefined) return next()
    context.url = rewritten(context.url, forwarded.proto, forwarded.host)
    return next()
  }
}

function trustCheck(
  proxies: TrustProxyOptions['proxies'] | undefined,
): (request: Request) => boolean {
  if (typeof proxies === 'function') return proxies
  if (!Array.isArray(proxies)) {
    throw new TypeError(
      'trustProxy(): `proxies` is required: the IP addresses or networks of your proxy, or a function of the request',
    )
  }
  let networks: IpNetwork[] = proxies.map((text: unknown) => {
    let network = typeof text === 'string' ? parseNetwork(text) : undefined
    if (network === undefined) {
      throw new TypeError(
        `trustProxy(): ${JSON.stringify(text)} is not an IP address or a network such as "10.0.0.0/8"`,
      )
    }
    return network
  })
  let warned = false
  return (request) => {
    let address = remoteAddress(request)
    if (address === undefined && !warned) {
      warned = true
      console.warn(
        'trustProxy(): a request came without a peer address, so its forwarded headers were ignored; record it with withRemoteAddress(request, address) in your server',
      )
    }
    let bytes = address === undefined ? undefined : parseIp(address)
    return bytes !== undefined && networks.some((network) => inNetwork(bytes, network))
  }
}

function list(value: string | null): string[] {
  if (value === null) return []
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * The value the outermost trusted proxy wrote: `hops` from the end. `undefined` when there are
 * fewer values than that: the outer proxies were bypassed, so even the first is the client's.
 */
function pick<Item>(items: Item[], hops: number): Item | undefined {
  return items.length < hops ? undefined : items[items.length - hops]
}

function rewritten(url: URL, proto: string | undefined, host: string | undefined): URL {
  let scheme = proto === undefined ? url.protocol.slice(0, -1) : proto.toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') {
    throw new HttpError(400, 'Bad Request: the forwarded scheme must be http or https')
  }
  let authority = host ?? url.host
  // A host and a port only: no userinfo, path, query or spaces may ride along into the URL, and
  // nothing the URL parser would reinterpret (`10.1`, `shop.example.`, port 0).
  if (host !== undefined && !isHostAndPort(authority)) {
    throw new HttpError(400, 'Bad Request: malformed forwarded host')
  }
  try {
    // The path is joined as text after the authority, so a path like "//x" stays a path.
    return new URL(`${scheme}://${authority}${url.pathname}${url.search}${url.hash}`)
  } catch {
    throw new HttpError(400, 'Bad Request: malformed forwarded host')
  }
}
