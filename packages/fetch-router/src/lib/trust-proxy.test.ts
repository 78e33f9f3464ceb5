import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { remoteAddress, withRemoteAddress } from './remote-address.ts'
import { createRouter } from './router.ts'
import { type TrustProxyOptions, trustProxy } from './trust-proxy.ts'

/** A router that answers with the URL its handler sees, behind `trustProxy(options)`. */
function app(options: TrustProxyOptions) {
  let router = createRouter({ middleware: [trustProxy(options)] })
  router.get('/*path', ({ url }) => new Response(url.href))
  return router
}

/** The URL the handler saw for a request from `peer` carrying `headers`. */
async function seen(
  options: TrustProxyOptions,
  peer: string | undefined,
  headers: Record<string, string>,
  url = 'http://10.0.0.5:3000/cart?page=2',
): Promise<string> {
  let response = await app(options).fetch(withRemoteAddress(new Request(url, { headers }), peer))
  expect(response.status).toBe(200)
  return response.text()
}

const tls = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'shop.example' }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('trustProxy({ proxies })', () => {
  it('shows the scheme and host the browser used, for a connection from a named proxy', async () => {
    expect(await seen({ proxies: ['10.0.0.2'] }, '10.0.0.2', tls)).toBe(
      'https://shop.example/cart?page=2',
    )
  })

  it('ignores forwarded headers from any other peer, and from a request without a peer', async () => {
    let warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    let original = 'http://10.0.0.5:3000/cart?page=2'
    expect(await seen({ proxies: ['10.0.0.2'] }, '10.0.0.3', tls)).toBe(original)
    expect(await seen({ proxies: ['10.0.0.2'] }, '203.0.113.9', tls)).toBe(original)
    expect(await seen({ proxies: ['10.0.0.2'] }, undefined, tls)).toBe(original)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain('withRemoteAddress')
  })

  it('trusts nothing unless told: proxies are required and checked at creation', () => {
    expect(() => trustProxy(undefined as never)).toThrow(TypeError)
    expect(() => trustProxy({} as never)).toThrow(/proxies/)
    expect(() => trustProxy({ proxies: ['proxy.internal'] })).toThrow(TypeError)
    expect(() => trustProxy({ proxies: ['10.0.0.0/33'] })).toThrow(TypeError)
    expect(() => trustProxy({ proxies: ['10.0.0.0/08'] })).toThrow(TypeError)
    expect(() => trustProxy({ proxies: ['10.0.0.2'], hops: 0 })).toThrow(TypeError)
    expect(() => trustProxy({ proxies: ['10.0.0.2'], header: 'x-real' as never })).toThrow(
      TypeError,
    )
  })

  it.each([
    '010.0.0.1',
    '10.1',
    '10.0.1',
    '0x0a000001',
    '167772161',
    '10.0.0.1.5',
    '256.0.0.1',
    '10.0.0.01/32',
    ' 10.0.0.1',
  ])(
    'refuses %j, which the URL parser would read as another address, with a TypeError',
    (proxy) => {
      expect(() => trustProxy({ proxies: [proxy] })).toThrow(
        `trustProxy(): ${JSON.stringify(proxy)} is not an IP address or a network`,
      )
    },
  )

  it.each([
    ['10.0.0.0/8', '10.200.3.4', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.1.128/25', '192.168.1.200', true],
    ['192.168.1.128/25', '192.168.1.100', false],
    ['10.0.0.2', '::ffff:10.0.0.2', true],
    ['::1', '0:0:0:0:0:0:0:1', true],
    ['fd00::/8', 'fd12:3456::1', true],
    ['fd00::/8', 'fe80::1%eth0', false],
    ['fe80::/10', 'fe80::1%eth0', true],
    ['127.0.0.1', '::1', false],
  ])('with proxies [%j], a peer at %s is trusted: %s', async (proxy, peer, trusted) => {
    let href = await seen({ proxies: [proxy] }, peer, tls)
    expect(href.startsWith('https://shop.example/')).toBe(trusted)
  })

  it('takes a function that decides from the request', async () => {
    let viaSocket = (request: Request) => remoteAddress(request) === 'unix'
    expect(await seen({ proxies: viaSocket }, 'unix', tls)).toBe('https://shop.example/cart?page=2')
    expect(await seen({ proxies: viaSocket }, '10.0.0.2', tls)).toMatch(/^http:\/\/10\.0\.0\.5/)
  })
})

describe('trustProxy() reading the forwarded headers', () => {
  it('reads only the header named: Forwarded, or X-Forwarded-*', async () => {
    let both = {
      Forwarded: 'for=203.0.113.9;proto=https;host="shop.example"',
      'X-Forwarded-Proto': 'http',
      'X-Forwarded-Host': 'evil.example',
    }
    expect(await seen({ proxies: ['10.0.0.2'], header: 'forwarded' }, '10.0.0.2', both)).toBe(
      'https://shop.example/cart?page=2',
    )
    expect(await seen({ proxies: ['10.0.0.2'] }, '10.0.0.2', both)).toBe(
      'http://evil.example/cart?page=2',
    )
  })

  it('reads the value the outermost trusted proxy wrote, not what the client sent before it', async () => {
    let spoofed = {
      'X-Forwarded-Proto': 'https, http',
      'X-Forwarded-Host': 'evil.example, shop.example',
    }
    expect(await seen({ proxies: ['10.0.0.2'] }, '10.0.0.2', spoofed)).toBe(
      'http://shop.example/cart?page=2',
    )
    let twoProxies = {
      Forwarded: 'host=evil.example;proto=http, host=shop.example;proto=https, for=10.0.0.9',
    }
    let options = { proxies: ['10.0.0.2'], header: 'forwarded', hops: 2 } as const
    expect(await seen(options, '10.0.0.2', twoProxies)).toBe('https://shop.example/cart?page=2')
  })

  it('ignores a header with fewer values than hops: the outer proxy did not write it', async () => {
    let original = 'http://10.0.0.5:3000/cart?page=2'
    let bypassed = { 'X-Forwarded-Host': 'evil.example, shop.example' }
    expect(await seen({ proxies: ['10.0.0.2'], hops: 3 }, '10.0.0.2', bypassed)).toBe(original)
    let forwarded = { proxies: ['10.0.0.2'], header: 'forwarded', hops: 2 } as const
    expect(await seen(forwarded, '10.0.0.2', { Forwarded: 'host=evil.example;proto=https' })).toBe(
      original,
    )
    // Each header counts on its own: the full one is still read.
    let partial = { 'X-Forwarded-Proto': 'https, https', 'X-Forwarded-Host': 'evil.example' }
    expect(await seen({ proxies: ['10.0.0.2'], hops: 2 }, '10.0.0.2', partial)).toBe(
      'https://10.0.0.5:3000/cart?page=2',
    )
  })

  it('changes only what the proxy reported, and keeps the path a path', async () => {
    let options = { proxies: ['10.0.0.2'] }
    expect(await seen(options, '10.0.0.2', { 'X-Forwarded-Proto': 'HTTPS' })).toBe(
      'https://10.0.0.5:3000/cart?page=2',
    )
    expect(await seen(options, '10.0.0.2', { 'X-Forwarded-Host': 'shop.example:8443' })).toBe(
      'http://shop.example:8443/cart?page=2',
    )
    expect(await seen(options, '10.0.0.2', {})).toBe('http://10.0.0.5:3000/cart?page=2')
    expect(await seen(options, '10.0.0.2', { 'X-Forwarded-Host': '[::1]:8443' })).toBe(
      'http://[::1]:8443/cart?page=2',
    )
    expect(await seen(options, '10.0.0.2', { 'X-Forwarded-Host': '192.168.0.2:65535' })).toBe(
      'http://192.168.0.2:65535/cart?page=2',
    )
    expect(await seen(options, '10.0.0.2', tls, 'http://10.0.0.5:3000//evil.example/x')).toBe(
      'https://shop.example//evil.example/x',
    )
  })

  it.each([
    [{ 'X-Forwarded-Proto': 'javascript' }],
    [{ 'X-Forwarded-Host': 'evil.example/path' }],
    [{ 'X-Forwarded-Host': 'user@evil.example' }],
    [{ 'X-Forwarded-Host': 'shop.example:99999' }],
    [{ 'X-Forwarded-Host': 'shop example' }],
    [{ 'X-Forwarded-Host': '..' }],
    [{ 'X-Forwarded-Host': '.' }],
    [{ 'X-Forwarded-Host': '-' }],
    [{ 'X-Forwarded-Host': 'shop.example.' }],
    [{ 'X-Forwarded-Host': '-shop.example' }],
    [{ 'X-Forwarded-Host': 'shop.example:0' }],
    [{ 'X-Forwarded-Host': 'shop.example:' }],
    [{ 'X-Forwarded-Host': '10.1' }],
    [{ 'X-Forwarded-Host': '0x7f000001' }],
    [{ 'X-Forwarded-Host': '[::1%eth0]' }],
  ])('answers 400 without a stack for a malformed forwarded value: %j', async (headers) => {
    let request = withRemoteAddress(new Request('http://10.0.0.5/', { headers }), '10.0.0.2')
    let response = await app({ proxies: ['10.0.0.2'] }).fetch(request)
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/^Bad Request: [a-z ]+$/)
  })
})

describe('trustProxy() over HTTP', () => {
  let servers: http.Server[] = []
  afterEach(async () => {
    for (let server of servers) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
    servers = []
  })

  /** Serves `options` on loopback, recording each connection's peer as a runtime adapter would. */
  async function serve(options: TrustProxyOptions): Promise<string> {
    let router = app(options)
    let server = http.createServer(async (incoming, outgoing) => {
      let headers = new Headers()
      for (let [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(name, value)
      }
      let request = new Request(`http://${incoming.headers.host}${incoming.url}`, { headers })
      let response = await router.fetch(withRemoteAddress(request, incoming.socket.remoteAddress))
      outgoing.writeHead(response.status, { 'Content-Type': 'text/plain' })
      outgoing.end(await response.text())
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  it('rewrites the URL for the loopback proxy it trusts, and not when the proxy is elsewhere', async () => {
    let trusted = await serve({ proxies: ['127.0.0.1'] })
    expect(await (await fetch(`${trusted}/a`, { headers: tls })).text()).toBe(
      'https://shop.example/a',
    )
    let elsewhere = await serve({ proxies: ['10.0.0.2'] })
    expect(await (await fetch(`${elsewhere}/a`, { headers: tls })).text()).toBe(`${elsewhere}/a`)
  })
})
