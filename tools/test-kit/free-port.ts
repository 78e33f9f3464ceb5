import * as net from 'node:net'

/** A TCP port on 127.0.0.1 that was free a moment ago: the OS picked it for a probe, now closed. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    let probe = net.createServer().listen(0, '127.0.0.1', () => {
      let { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
