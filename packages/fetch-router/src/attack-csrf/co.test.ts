import { describe, expect, it } from 'vitest'
import { crossOrigin, type CrossOriginOptions } from '../lib/cross-origin.ts'
import type { Middleware } from '../lib/middleware.ts'
import { createRouter } from '../lib/router.ts'

function app(options?: CrossOriginOptions, routerOpts: any = {}, after: Middleware[] = [], site = 'http://shop.test') {
  let reached: string[] = []
  let router = createRouter({ ...routerOpts, middleware: [crossOrigin(options), ...after] })
  router.route('ANY', '/*path', ({ method, url }) => {
    reached.push(`${method} ${url.pathname}`)
    return new Response('ok')
  })
  router.route('ANY', '/', () => new Response('root'))
  let send = async (method: string, headers: Record<string, string> | [string, string][] = {}, path = '/account') => {
    let r = await router.fetch(new Request(`${site}${path}`, { method, headers }))
    return r.status
  }
  return { router, reached, send }
}
const out: Record<string, unknown> = {}
describe('probe crossOrigin', () => {
  it('methods', async () => {
    let { send } = app()
    for (let m of ['post', 'PoSt', 'patch', 'propfind', 'M-SEARCH', 'get', 'gEt', 'options', 'head', 'TRACE', 'CONNECTX'])
      out[`method ${m}`] = await send(m, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }).catch((e) => String(e))
  })
  it('sfs values', async () => {
    let { send } = app()
    let cases: [string, any][] = [
      ['Same-Origin', { 'Sec-Fetch-Site': 'Same-Origin' }],
      [' same-origin ', { 'Sec-Fetch-Site': ' same-origin ' }],
      ['same-origin, cross-site', { 'Sec-Fetch-Site': 'same-origin, cross-site' }],
      ['dup', [['Sec-Fetch-Site', 'same-origin'], ['Sec-Fetch-Site', 'cross-site']]],
      ['none + evil origin', { 'Sec-Fetch-Site': 'none', Origin: 'https://evil.example' }],
      ['same-site + own origin', { 'Sec-Fetch-Site': 'same-site', Origin: 'http://shop.test' }],
      ['empty sfs + own origin', { 'Sec-Fetch-Site': '', Origin: 'http://shop.test' }],
      ['empty sfs no origin', { 'Sec-Fetch-Site': '' }],
      ['origin trailing slash', { Origin: 'http://shop.test/' }],
      ['origin :80', { Origin: 'http://shop.test:80' }],
      ['origin upper', { Origin: 'HTTP://SHOP.TEST' }],
      ['origin https', { Origin: 'https://shop.test' }],
      ['origin null', { Origin: 'null' }],
      ['origin empty', { Origin: '' }],
      ['origin dup', [['Origin', 'http://shop.test'], ['Origin', 'http://evil']]],
      ['none', {}],
    ]
    for (let [n, h] of cases) out[`sfs ${n}`] = await send('POST', h)
  })
  it('ipv6 / idn hosts', async () => {
    let a = app(undefined, {}, [], 'http://[::1]:3000')
    out['ipv6 origin ok'] = await a.send('POST', { Origin: 'http://[::1]:3000' })
    let b = app(undefined, {}, [], 'http://bücher.test')
    out['idn origin punycode'] = await b.send('POST', { Origin: 'http://xn--bcher-kva.test' })
    let c = app(undefined, {}, [], 'http://SHOP.test:80')
    out['upper host req'] = await c.send('POST', { Origin: 'http://shop.test' })
  })
  it('trusted normalization', async () => {
    for (let t of ['https://Partner.Example', 'https://partner.example:443', 'https://partner.example/', 'https://partner.example/x', 'https://bücher.example', 'null', 'chrome-extension://abcdef', 'http://[::1]:8080', 'https://partner.example.', 'https://*.example.com', 'partner.example', 'https://u@partner.example', 'https://partner.example?', 'https://partner.example#']) {
      try {
        let a = app({ trustedOrigins: [t] })
        out[`trusted ${t}`] = {
          plain: await a.send('POST', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://partner.example' }),
          puny: await a.send('POST', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://xn--bcher-kva.example' }),
        }
      } catch (e) {
        out[`trusted ${t}`] = `throws ${(e as Error).message.slice(0, 60)}`
      }
    }
  })
  it('exempt', async () => {
    let ev = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }
    for (let [pat, ro] of [['/webhooks/*', {}], ['/webhooks/*', { ignoreCase: true }], ['/webhooks/*', { trailingSlash: 'ignore' }], ['/hook', { trailingSlash: 'ignore' }], ['/hook', {}], ['/webhooks(/*)', {}], ['/a/:x', {}], ['*', {}], ['/webhooks/*rest', {}]] as [string, any][]) {
      let a = app({ exempt: [pat] }, ro)
      let r: Record<string, number> = {}
      for (let p of ['/webhooks', '/webhooks/', '/webhooks/x', '/webhooks/x/y', '/WEBHOOKS/x', '/webhooks%2Fx', '/webhooks/..%2Fadmin', '/webhooks/%2e%2e/admin', '/hook', '/hook/', '/HOOK', '/hook%2F', '/%68ook', '/a/b', '/a/b/', '/a/%2F', '/a/', '/a/b%2Fc'])
        r[p] = await a.send('POST', ev, p)
      out[`exempt ${pat} ${JSON.stringify(ro)}`] = r
      out[`exempt reached ${pat} ${JSON.stringify(ro)}`] = a.reached.join(' | ')
    }
  })
  it('override after crossOrigin', async () => {
    let override: Middleware = (ctx, next) => {
      let m = ctx.url.searchParams.get('_method')
      if (m) ctx.method = m.toUpperCase()
      return next()
    }
    let a = app(undefined, {}, [override])
    out['GET?_method=DELETE cross-site, override after'] = [await a.send('GET', { 'Sec-Fetch-Site': 'cross-site' }, '/items/1?_method=DELETE'), a.reached]
  })
  it('refusal body', async () => {
    let router = createRouter({ middleware: [crossOrigin()] })
    router.post('/x', () => new Response('x'))
    let r = await router.fetch(new Request('http://s/x', { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } }))
    out['refusal'] = [r.status, [...r.headers], await r.text()]
    let r2 = await router.fetch(new Request('http://s/nope', { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } }))
    out['refusal on 404 path'] = r2.status
  })
  it('dump', () => { console.log(JSON.stringify(out, null, 1)) })
})
