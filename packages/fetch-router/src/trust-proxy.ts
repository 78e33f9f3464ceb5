export { remoteAddress, withRemoteAddress } from './lib/remote-address.ts'
export type { TrustProxyOptions } from './lib/trust-proxy.ts'
export { trustProxy } from './lib/trust-proxy.ts'
