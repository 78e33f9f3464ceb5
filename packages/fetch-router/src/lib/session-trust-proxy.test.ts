import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { describe, expect, it } from 'vitest'
import type { Middleware } from './middleware.ts'
import { withRemoteAddress } from './remote-address.ts'
import { createRouter } from './router.ts'
import { session } from './session-middleware.ts'
import { trustProxy } from './trust-proxy.ts'

const cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })
const proxy = '10.0.0.2'

/** A router whose one route changes the session, behind `first` (a proxy middleware). */
function app(first: Middleware) {
  let router = createRouter({ middleware: [first, session(cookie, createMemorySessionStorage())] })
  router.post('/', ({ session }) => {
    session.set('seen', true)
    return new Response('ok')
  })
  return router
}

/** The `Set-Cookie` of a POST to `url` from `peer`, with `headers`. */
async function setCookie(
  router: ReturnType<typeof app>,
  url: string,
  peer: string,
  headers: Record<string, string> = {},
): Promise<string> {
  let request = withRemoteAddress(new Request(url, { method: 'POST', headers }), peer)
  let response = await router.fetch(request)
  expect(response.status).toBe(200)
  return String(response.headers.get('Set-Cookie'))
}

describe('session middleware Secure behind trustProxy()', () => {
  it('marks the cookie Secure for X-Forwarded-Proto: https from the proxy, and only then', async () => {
    let router = app(trustProxy({ proxies: [proxy] }))
    let https = { 'X-Forwarded-Proto': 'https' }
    expect(await setCookie(router, 'http://10.0.0.5/', proxy, https)).toMatch(/; Secure$/)
    expect(await setCookie(router, 'http://10.0.0.5/', proxy)).not.toContain('Secure')
    expect(await setCookie(router, 'http://10.0.0.5/', '203.0.113.9', https)).not.toContain(
      'Secure',
    )
  })

  it('follows the request URL when the proxy says nothing, and the proxy when it says http', async () => {
    let router = app(trustProxy({ proxies: [proxy] }))
    expect(await setCookie(router, 'https://shop.example/', proxy)).toMatch(/; Secure$/)
    let http = { 'X-Forwarded-Proto': 'http' }
    expect(await setCookie(router, 'https://shop.example/', proxy, http)).not.toContain('Secure')
  })

  it('sees a middleware that changes context.url.protocol in place', async () => {
    let inPlace: Middleware = (context, next) => {
      if (context.headers.get('X-Forwarded-Proto') === 'https') context.url.protocol = 'https:'
      return next()
    }
    let router = app(inPlace)
    let https = { 'X-Forwarded-Proto': 'https' }
    expect(await setCookie(router, 'http://x.test/', proxy, https)).toMatch(/; Secure$/)
    expect(await setCookie(router, 'http://x.test/', proxy)).not.toContain('Secure')
  })
})
