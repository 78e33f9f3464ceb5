import { describe, expect, it } from 'vitest'
import { type CrossOriginOptions, crossOrigin } from './cross-origin.ts'
import type { Middleware } from './middleware.ts'
import { withRemoteAddress } from './remote-address.ts'
import { createRouter } from './router.ts'
import { trustProxy } from './trust-proxy.ts'

const site = 'http://shop.test'

/** A router whose every route counts the requests that reached a handler. */
function app(options?: CrossOriginOptions, before: Middleware[] = [], after: Middleware[] = []) {
  let reached = { count: 0 }
  let router = createRouter({ middleware: [...before, crossOrigin(options), ...after] })
  router.route('ANY', '/*path', ({ method }) => {
    reached.count++
    return new Response(`${method} done`)
  })
  let send = (method: string, headers: Record<string, string> = {}, path = '/account') =>
    router.fetch(new Request(`${site}${path}`, { method, headers }))
  return { router, reached, send }
}

const crossSite = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }

describe('crossOrigin() by Sec-Fetch-Site and Origin', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'])(
    'refuses a cross-site %s with 403 and a short plain-text body, before the handler',
    async (method) => {
      let { send, reached } = app()
      let response = await send(method, crossSite)
      expect(response.status).toBe(403)
      expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
      expect(await response.text()).toBe('Forbidden: cross-origin request refused')
      expect(reached.count).toBe(0)
    },
  )

  it.each(['GET', 'HEAD', 'OPTIONS'])('lets a cross-site %s through', async (method) => {
    let { send, reached } = app()
    expect((await send(method, crossSite)).status).toBe(200)
    expect(reached.count).toBe(1)
  })

  it.each([
    ['same-origin', 200],
    ['none', 200],
    ['same-site', 403],
    ['cross-site', 403],
    ['something-new', 403],
  ])('answers a POST with Sec-Fetch-Site: %s with %i', async (value, status) => {
    let { send } = app()
    // Sec-Fetch-Site decides, whatever Origin says: browsers set it and page scripts cannot.
    expect((await send('POST', { 'Sec-Fetch-Site': value, Origin: site })).status).toBe(status)
  })

  it.each([
    ['the same origin', site, 200],
    ['another host', 'http://evil.example', 403],
    ['another port', 'http://shop.test:8080', 403],
    ['another scheme', 'https://shop.test', 403],
    ['a subdomain', 'http://a.shop.test', 403],
    ['null (a sandboxed frame, a data: URL)', 'null', 403],
    ['not an origin', 'garbage', 403],
  ])(
    'without Sec-Fetch-Site, answers a POST whose Origin is %s with %i',
    async (_, origin, status) => {
      let { send } = app()
      expect((await send('POST', { Origin: origin })).status).toBe(status)
    },
  )

  it('lets a POST with neither header through (curl, servers), or refuses it when told to', async () => {
    expect((await app().send('POST')).status).toBe(200)
    let strict = app({ allowMissingHeaders: false })
    expect((await strict.send('POST')).status).toBe(403)
    expect((await strict.send('POST', { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200)
    expect((await strict.send('POST', { Origin: site })).status).toBe(200)
    expect((await strict.send('GET')).status).toBe(200)
  })

  it.each(['false', 'true', 0, null])(
    'refuses allowMissingHeaders: %j with a TypeError at creation',
    (value) => {
      expect(() => crossOrigin({ allowMissingHeaders: value as never })).toThrow(
        `crossOrigin(): allowMissingHeaders must be true or false, got ${JSON.stringify(value)}`,
      )
    },
  )
})

describe('crossOrigin({ trustedOrigins })', () => {
  it('lets trusted origins through, exactly, with either header', async () => {
    let { send } = app({ trustedOrigins: ['https://partner.example', 'HTTPS://Pay.Example:443'] })
    let from = (origin: string) => ({ 'Sec-Fetch-Site': 'cross-site', Origin: origin })
    expect((await send('POST', from('https://partner.example'))).status).toBe(200)
    expect((await send('POST', from('https://pay.example'))).status).toBe(200)
    expect((await send('POST', { Origin: 'https://partner.example' })).status).toBe(200)
    expect((await send('POST', from('http://partner.example'))).status).toBe(403)
    expect((await send('POST', from('https://partner.example:8443'))).status).toBe(403)
    expect((await send('POST', from('https://evil.partner.example'))).status).toBe(403)
    expect((await send('POST', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403)
  })

  it.each([
    'https://partner.example/',
    'https://partner.example/path',
    'https://partner.example?x=1',
    'https://partner.example#top',
    'https://user:pw@partner.example',
    'partner.example',
    'null',
    'data:text/html,hi',
    '',
    'https://partner.example.',
    'https://-',
    'https://-partner.example',
    'https://partner..example',
    'https://partner.example:0',
    'https://10.1',
    'https://partner_1.example',
    'https:partner.example',
  ])('refuses %j as a trusted origin with a TypeError at creation', (origin) => {
    expect(() => crossOrigin({ trustedOrigins: [origin] })).toThrow(TypeError)
  })

  it('refuses a wildcard origin at creation, saying wildcards are not supported', () => {
    for (let origin of ['https://*.partner.example', '*', 'https://partner.example:*']) {
      expect(() => crossOrigin({ trustedOrigins: [origin] })).toThrow(/wildcards are not supported/)
    }
  })

  it('takes IP and internationalized origins, as browsers send them', async () => {
    let { send } = app({ trustedOrigins: ['https://192.168.0.2:8443', 'https://bücher.example'] })
    let from = (origin: string) => ({ 'Sec-Fetch-Site': 'cross-site', Origin: origin })
    expect((await send('POST', from('https://192.168.0.2:8443'))).status).toBe(200)
    expect((await send('POST', from('https://xn--bcher-kva.example'))).status).toBe(200)
  })
})

describe('crossOrigin() with exempt routes, method overrides and proxies', () => {
  it('lets exempt routes take cross-site posts, by pattern or by function', async () => {
    let patterns = app({ exempt: ['/webhooks/*', '/hooks/:provider'] })
    expect((await patterns.send('POST', crossSite, '/webhooks/stripe/events')).status).toBe(200)
    expect((await patterns.send('POST', crossSite, '/hooks/github')).status).toBe(200)
    expect((await patterns.send('POST', crossSite, '/hooks/github/more')).status).toBe(403)
    expect((await patterns.send('POST', crossSite, '/webhooksX')).status).toBe(403)
    expect((await patterns.send('POST', crossSite, '/account')).status).toBe(403)
    expect((await patterns.send('POST', crossSite, '/webhooks/%ZZ')).status).toBe(403)
    let predicate = app({ exempt: ({ url }) => url.pathname === '/inbound' })
    expect((await predicate.send('POST', crossSite, '/inbound')).status).toBe(200)
    expect((await predicate.send('POST', crossSite, '/account')).status).toBe(403)
    expect(() => crossOrigin({ exempt: ['/a/:'] })).toThrow(TypeError)
    expect(() => crossOrigin({ exempt: '/webhooks/*' as never })).toThrow(TypeError)
  })

  it('checks a POST overridden to GET as the POST it is, wherever the override runs', async () => {
    let override: Middleware = (context, next) => {
      let method = context.url.searchParams.get('_method')
      if (method !== null) context.method = method.toUpperCase()
      return next()
    }
    let before = app(undefined, [override])
    let after = app(undefined, [], [override])
    for (let { send, reached } of [before, after]) {
      expect((await send('POST', crossSite, '/account?_method=GET')).status).toBe(403)
      expect(reached.count).toBe(0)
      let sameOrigin = await send('POST', { 'Sec-Fetch-Site': 'same-origin' }, '/a?_method=GET')
      expect(await sameOrigin.text()).toBe('GET done')
    }
    // An override that ran before it and turned a GET into a write is checked as the write.
    expect((await before.send('GET', crossSite, '/account?_method=DELETE')).status).toBe(403)
  })

  it("compares Origin with the origin a trusted proxy reports, not the proxy's own", async () => {
    let proxied = (middleware: Middleware[]) => {
      let router = createRouter({ middleware: [...middleware, crossOrigin()] })
      router.post('/account', () => new Response('done'))
      let request = new Request('http://10.0.0.5:3000/account', {
        method: 'POST',
        headers: {
          Origin: 'https://shop.example',
          'X-Forwarded-Proto': 'https',
          'X-Forwarded-Host': 'shop.example',
        },
      })
      return router.fetch(withRemoteAddress(request, '10.0.0.2'))
    }
    expect((await proxied([])).status).toBe(403)
    expect((await proxied([trustProxy({ proxies: ['10.0.0.2'] })])).status).toBe(200)
    expect((await proxied([trustProxy({ proxies: ['10.0.0.3'] })])).status).toBe(403)
  })
})
