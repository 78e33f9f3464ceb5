/**
 * An IP address or a network (`10.0.0.0/8`, `fd00::/8`) parsed into bytes: 4 for IPv4, 16 for
 * IPv6. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as a dual-stack Node socket reports IPv4
 * peers) is taken as the IPv4 address it maps.
 */
export interface IpNetwork {
  bytes: Uint8Array
  /** The number of leading bits that must match: 32 or 128 for a single address. */
  prefix: number
}

/**
 * Parses an address or a network in CIDR notation; `undefined` for anything else. The prefix is
 * decimal without leading zeros (`/8`, not `/08`), at most 32 for IPv4 and 128 for IPv6.
 */
export function parseNetwork(text: string): IpNetwork | undefined {
  let slash = text.indexOf('/')
  let bytes = parseIp(slash === -1 ? text : text.slice(0, slash))
  if (bytes === undefined) return undefined
  let max = bytes.length * 8
  if (slash === -1) return { bytes, prefix: max }
  let bits = text.slice(slash + 1)
  if (!/^(?:0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > max) return undefined
  return { bytes, prefix: Number(bits) }
}

/** Whether `address` (parsed by {@link parseIp}) is inside `network`. */
export function inNetwork(address: Uint8Array, network: IpNetwork): boolean {
  if (address.length !== network.bytes.length) return false
  let full = network.prefix >> 3
  for (let index = 0; index < full; index++) {
    if (address[index] !== network.bytes[index]) return false
  }
  let rest = network.prefix & 7
  if (rest === 0) return true
  let mask = (0xff << (8 - rest)) & 0xff
  return ((address[full] as number) & mask) === ((network.bytes[full] as number) & mask)
}

/**
 * Parses an IPv4 or IPv6 address (a zone such as `%eth0` is ignored) into 4 or 16 bytes;
 * `undefined` for anything else, host names included. IPv4 must be a strict dotted quad (see
 * {@link parseIpv4}).
 */
export function parseIp(text: string): Uint8Array | undefined {
  let address = text.replace(/%[\w.-]+$/, '')
  if (!address.includes(':')) return parseIpv4(address)
  if (!/^[0-9a-fA-F.:]+$/.test(address)) return undefined
  let host: string
  try {
    // The URL parser canonicalizes IPv6 (and checks it, strictly: an embedded IPv4 part must be
    // four decimal numbers without leading zeros): reuse it.
    host = new URL(`http://[${address}]/`).hostname
  } catch {
    return undefined
  }
  return unmapped(parseIpv6(host.slice(1, -1)))
}

/**
 * Parses a strict IPv4 dotted quad into 4 bytes: exactly four decimal numbers from 0 to 255,
 * without leading zeros. `undefined` for the forms the URL parser would still read as an address
 * (`010.0.0.1` as octal, `10.1` as `10.0.0.1`, `0x0a000001` as hex), which are typos or tricks in
 * a configuration, never what a peer address looks like.
 */
export function parseIpv4(text: string): Uint8Array | undefined {
  let parts = text.split('.')
  if (parts.length !== 4) return undefined
  if (!parts.every((part) => /^(?:0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)) {
    return undefined
  }
  return Uint8Array.from(parts, Number)
}

/** Parses the canonical IPv6 form the URL parser writes: hex groups, at most one `::`. */
function parseIpv6(canonical: string): Uint8Array {
  let [head = '', tail] = canonical.split('::')
  let headGroups = head === '' ? [] : head.split(':')
  let tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  let zeros = new Array<string>(8 - headGroups.length - tailGroups.length).fill('0')
  let groups = [...headGroups, ...zeros, ...tailGroups]
  let bytes = new Uint8Array(16)
  groups.forEach((group, index) => {
    let value = Number.parseInt(group, 16)
    bytes[index * 2] = value >> 8
    bytes[index * 2 + 1] = value & 0xff
  })
  return bytes
}

function unmapped(bytes: Uint8Array): Uint8Array {
  let mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff
  return mapped && bytes[11] === 0xff ? bytes.slice(12) : bytes
}
