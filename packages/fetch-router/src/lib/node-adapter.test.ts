import { getEventListeners, once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { text } from './response-helpers.ts'
import { createRouter } from './router.ts'
import { session } from './session-middleware.ts'

const cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })

// @hono/node-server replaces the global Response with a light one when it starts, after this
// package loaded: the helpers' responses must be of its class (its fast path) and still see every
// change a handler makes through response.headers.
describe('helper responses behind the session middleware, on @hono/node-server', () => {
  let storage = createMemorySessionStorage()
  let router = createRouter({ middleware: [session(cookie, storage)], onError: () => undefined })
  router.post('/plain', ({ session }) => {
    session.set('via', 'plain')
    return text('saved')
  })
  router.post('/extra', ({ session }) => {
    session.set('via', 'extra')
    let response = text('a,b')
    response.headers.set('Content-Type', 'text/csv')
    response.headers.set('X-Request-Id', 'r-1')
    return response
  })
  router.post('/public', ({ session }) => {
    session.set('via', 'public')
    let response = text('the same for everyone')
    response.headers.set('Cache-Control', 'public, max-age=600')
    return response
  })
  router.get('/', ({ session }) => text(String(session.get('via') ?? 'none')))
  let server: ReturnType<typeof serve>
  let base = ''

  beforeAll(async () => {
    server = serve({ fetch: (request) => router.fetch(request), port: 0, hostname: '127.0.0.1' })
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  /** POSTs to `path`, then reads `/` back with the cookie it was given. */
  async function postThenRead(path: string) {
    let response = await fetch(`${base}${path}`, { method: 'POST' })
    let jar = response.headers.get('Set-Cookie')?.split(';')[0] ?? ''
    let stored = await (await fetch(base, { headers: { Cookie: jar } })).text()
    return { response, stored }
  }

  it('answers text() with its content type, body and the cookie', async () => {
    let { response, stored } = await postThenRead('/plain')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await response.text()).toBe('saved')
    expect(stored).toBe('plain')
  })

  it('sends the headers a handler set on a text() response, with the cookie', async () => {
    let { response, stored } = await postThenRead('/extra')
    expect(response.headers.get('Content-Type')).toBe('text/csv')
    expect(response.headers.get('X-Request-Id')).toBe('r-1')
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(await response.text()).toBe('a,b')
    expect(stored).toBe('extra')
  })

  it('refuses a changed session on a text() response the handler made shareable', async () => {
    let response = await fetch(`${base}/public`, { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(await response.text()).toBe('Internal Server Error')
  })
})

/** GETs `url` with node:http (no Fetch client in this process, so no AbortController of its own). */
async function getWithNodeHttp(url: string, cookieHeader = '') {
  let response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    get(url, { headers: cookieHeader ? { Cookie: cookieHeader } : {} }, resolve).on('error', reject)
  })
  let body = ''
  for await (let chunk of response) body += chunk
  let jar = String(response.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? ''
  return { status: response.statusCode, body, jar }
}

// The adapter makes a request's AbortController when its signal is first read. A chain that
// settles on microtasks alone (a memory session) cannot see an abort, so it must not pay for one;
// one that waits briefly for I/O (as for a Redis round trip) makes it, but adds no listener.
describe('requests that settle soon on @hono/node-server', () => {
  /** Serves `router` while `run` runs, and puts every AbortController made meanwhile in `made`. */
  async function serveCounting(
    router: ReturnType<typeof createRouter>,
    made: AbortController[],
    run: (base: string) => Promise<void>,
  ): Promise<void> {
    let server = serve({
      fetch: (request) => router.fetch(request),
      port: 0,
      hostname: '127.0.0.1',
    })
    let Platform = globalThis.AbortController
    globalThis.AbortController = class extends Platform {
      constructor() {
        super()
        made.push(this)
      }
    }
    try {
      await once(server, 'listening')
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    } finally {
      globalThis.AbortController = Platform
      await new Promise((resolve) => server.close(resolve))
    }
  }

  it("answers a memory session without making the request's AbortController", async () => {
    let router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
    router.get('/', ({ session }) => {
      let count = (session.get('count') as number | undefined) ?? 0
      session.set('count', count + 1)
      return text(String(count + 1))
    })
    let made: AbortController[] = []
    await serveCounting(router, made, async (base) => {
      let first = await getWithNodeHttp(base)
      let second = await getWithNodeHttp(base, first.jar)
      expect([first.status, first.body, second.status, second.body]).toEqual([200, '1', 200, '2'])
    })
    expect(made).toHaveLength(0)
  })

  it('answers a handler that waits briefly for I/O without listening on its signal', async () => {
    let listenersAfterWait: number[] = []
    let made: AbortController[] = []
    let router = createRouter()
    router.get('/', async () => {
      let manifest = await readFile(new URL('../../package.json', import.meta.url), 'utf8')
      listenersAfterWait = made.map(({ signal }) => getEventListeners(signal, 'abort').length)
      return text(JSON.parse(manifest).name)
    })
    await serveCounting(router, made, async (base) => {
      let answer = await getWithNodeHttp(base)
      expect([answer.status, answer.body]).toEqual([200, '@x/fetch-router'])
    })
    expect(listenersAfterWait).toEqual([0])
  })
})
