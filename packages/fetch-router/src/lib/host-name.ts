import { parseIp, parseIpv4 } from './ip-address.ts'

/**
 * Whether `host` is a host as a browser writes it in a URL: a DNS name (labels of ASCII letters,
 * digits and hyphens, a hyphen never first or last, 1 to 63 characters each, joined by single
 * dots, no trailing dot, 253 characters at most), a strict IPv4 dotted quad, or an IPv6 address in
 * brackets. A name whose last label is a number (`10.1`, `shop.0x1`) must be a dotted quad, since
 * the URL parser would read it as an address. Internationalized names are in their `xn--` form.
 */
export function isHostName(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) {
    let address = host.slice(1, -1)
    return address.includes(':') && !address.includes('%') && parseIp(address) !== undefined
  }
  if (host.length > 253) return false
  let labels = host.split('.')
  let last = labels[labels.length - 1] as string
  if (/^(?:\d+|0x[0-9a-f]*)$/i.test(last)) return parseIpv4(host) !== undefined
  return labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(label))
}

/**
 * Whether `authority` is a host (see {@link isHostName}) with an optional port: decimal, from 1
 * to 65535, without leading zeros. No userinfo, path, query or whitespace.
 */
export function isHostAndPort(authority: string): boolean {
  let match = /^(\[[^\]]*\]|[^:[\]]*)(?::([1-9]\d{0,4}))?$/.exec(authority)
  if (match === null) return false
  let port = match[2]
  return isHostName(match[1] as string) && (port === undefined || Number(port) <= 65535)
}
