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

/** Parses an address or a network in CIDR notation; `undefined` for anything else. */
export function parseNetwork(text: string): IpNetwork | undefined {
  let slash = text.indexOf('/')
  let bytes = parseIp(slash === -1 ? text : text.slice(0, slash))
  if (bytes === undefined) return undefined
  let max = bytes.length * 8
  if (slash === -1) return { bytes, prefix: max }
  let bits = text.slice(slash + 1)
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined
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
 * `undefined` for anything else, host names included.
 */
export function parseIp(text: string): Uint8Array | undefined {
  let address = text.replace(/%[\w.-]+$/, '')
  if (!/^[0-9a-fA-F.:]+$/.test(address)) return undefined
  let host: string
  try {
    // The URL parser canonicalizes both families (and checks them): reuse it.
    host = new URL(address.includes(':') ? `http://[${address}]/` : `http://${address}/`).hostname
  } catch {
    return undefined
  }
  if (host.startsWith('[')) return unmapped(parseIpv6(host.slice(1, -1)))
  let parts = host.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined
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
