import {
  createSessionStorage,
  Session,
  type SessionStorage,
  SessionTooLargeError,
} from '@x/session'
import { Cookie, createCookie } from '@x/session/cookie'
import { createCookieSessionStorage } from '@x/session/cookie-storage'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HttpError } from './http-error.ts'
import type { Middleware } from './middleware.ts'
import { redirect, text } from './response-helpers.ts'
import { createRouter, type Router } from './router.ts'
import { session } from './session-middleware.ts'

const secret = 'a-test-secret-that-is-32-chars-long!'
const cookie = createCookie('sid', { secrets: [secret] })

/** A storage over a Map that counts every call to its store: "your own storage", for real. */
function countingStorage() {
  let rows = new Map<string, string>()
  let calls = { read: 0, write: 0, delete: 0 }
  let storage = createSessionStorage({
    readData: async (id) => {
      calls.read++
      return rows.get(id) ?? null
    },
    createData: async (id, data) => {
      calls.write++
      rows.set(id, data)
    },
    updateData: async (id, data) => {
      calls.write++
      rows.set(id, data)
    },
    deleteData: async (id) => {
      calls.delete++
      rows.delete(id)
    },
  })
  return { storage, calls, rows }
}

/** A storage whose every call fails, as with Redis down. */
function failingStorage() {
  let down = () => Promise.reject(new Error('ECONNREFUSED'))
  return createSessionStorage({
    readData: down,
    createData: down,
    updateData: down,
    deleteData: down,
  })
}

/** Sends requests with the cookie the last response set, like a browser. */
function browser(router: Router<object>) {
  let jar: string | undefined
  return async (path: string, init: RequestInit = {}) => {
    let headers = new Headers(init.headers)
    if (jar) headers.set('Cookie', jar)
    let response = await router.fetch(`http://x.test${path}`, { ...init, headers })
    let setCookie = response.headers.get('Set-Cookie')
    if (setCookie) jar = /Max-Age=0/.test(setCookie) ? undefined : setCookie.split(';')[0]
    return response
  }
}

function counterApp(storage: SessionStorage, extra: Middleware[] = []) {
  let router = createRouter({ middleware: [session(cookie, storage), ...extra] })
  router.post('/count', ({ session }) => {
    let count = ((session.get('count') as number | undefined) ?? 0) + 1
    session.set('count', count)
    return new Response(String(count))
  })
  router.get('/count', ({ session }) => new Response(String(session.get('count') ?? 0)))
  router.get('/health', () => new Response('ok'))
  router.post('/logout', ({ session }) => {
    session.destroy()
    return redirect('/', 303)
  })
  return router
}

/** The counter of `counterApp`, behind a lazy session the handler loads only when it counts. */
function lazyCounterApp(storage: SessionStorage) {
  let router = createRouter({ middleware: [session(cookie, storage, { lazy: true })] })
  router.post('/count', async ({ loadSession }) => {
    let session = await loadSession()
    let count = ((session.get('count') as number | undefined) ?? 0) + 1
    session.set('count', count)
    return new Response(String(count))
  })
  router.get('/health', () => new Response('ok'))
  return router
}

afterEach(() => {
  vi.useRealTimers()
})

describe('session middleware', () => {
  it('installs the session as context.session and context.get(Session), kept across requests', async () => {
    let router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
    router.post('/name', (context) => {
      expect(context.get(Session)).toBe(context.session)
      context.session.set('name', 'ada')
      return new Response('saved')
    })
    router.get('/name', ({ session }) => new Response(String(session.get('name'))))
    let send = browser(router)
    await send('/name', { method: 'POST' })
    expect(await (await send('/name')).text()).toBe('ada')
  })

  it('sets an HttpOnly, SameSite=Lax cookie and makes the response private', async () => {
    let response = await counterApp(createMemorySessionStorage()).fetch('http://x.test/count', {
      method: 'POST',
    })
    let setCookie = response.headers.get('Set-Cookie') as string
    expect(setCookie).toMatch(/^sid=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/)
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
  })

  it('keeps a private Cache-Control the handler set', async () => {
    let router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
    router.get('/', ({ session }) => {
      session.set('seen', true)
      return new Response('x', { headers: { 'Cache-Control': 'private, max-age=60' } })
    })
    let response = await router.fetch('http://x.test/')
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(response.headers.get('Cache-Control')).toBe('private, max-age=60')
  })

  it('clears the cookie when the session is destroyed', async () => {
    let send = browser(counterApp(createMemorySessionStorage()))
    await send('/count', { method: 'POST' })
    let response = await send('/logout', { method: 'POST' })
    expect(response.status).toBe(303)
    expect(response.headers.get('Set-Cookie')).toMatch(
      /^sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Max-Age=0/,
    )
    expect(await (await send('/count')).text()).toBe('0')
  })

  it('copies a response with immutable headers to add the cookie', async () => {
    let router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
    router.get('/', ({ session }) => {
      session.set('x', 1)
      return Response.redirect('http://x.test/next', 302)
    })
    let response = await router.fetch('http://x.test/')
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('http://x.test/next')
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
  })

  it('keeps an active user signed in and signs out an idle one (rolling expiry)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let router = counterApp(createMemorySessionStorage({ idleTimeout: 1800 }))
    let send = browser(router)
    await send('/count', { method: 'POST' })
    for (let minute = 20; minute <= 120; minute += 20) {
      vi.advanceTimersByTime(20 * 60_000)
      expect(await (await send('/count')).text()).toBe('1')
    }
    vi.advanceTimersByTime(31 * 60_000)
    expect(await (await send('/count')).text()).toBe('0')
  })
})

describe('session middleware, saving only what changed', () => {
  it('does no storage I/O and sends no cookie for a request without the cookie that does not change the session', async () => {
    let { storage, calls } = countingStorage()
    let response = await counterApp(storage).fetch('http://x.test/health')
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(response.headers.get('Cache-Control')).toBeNull()
    expect(calls).toEqual({ read: 0, write: 0, delete: 0 })
  })

  it('writes nothing and sends no cookie when a signed-in request does not change the session', async () => {
    let { storage, calls } = countingStorage()
    let send = browser(counterApp(storage))
    await send('/count', { method: 'POST' })
    let response = await send('/health')
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(1)
  })

  it('saves nothing when the handler throws', async () => {
    let { storage, calls } = countingStorage()
    let router = createRouter({ middleware: [session(cookie, storage)], onError: () => undefined })
    router.post('/', ({ session }) => {
      session.set('half', 'done')
      throw new Error('failed midway')
    })
    let response = await router.fetch('http://x.test/', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(0)
  })

  it('saves nothing when the request is aborted', async () => {
    let { storage, calls } = countingStorage()
    let controller = new AbortController()
    let router = createRouter({ middleware: [session(cookie, storage)] })
    router.post('/', ({ session }) => {
      session.set('half', 'done')
      controller.abort()
      return new Response('too late')
    })
    await router
      .fetch(new Request('http://x.test/', { method: 'POST', signal: controller.signal }))
      .catch(() => {})
    expect(calls.write).toBe(0)
  })
})

describe('session middleware, outages and misuse', () => {
  it('answers 503 when the storage fails, reporting the cause to onError', async () => {
    let errors: unknown[] = []
    let failing = failingStorage()
    let router = createRouter({
      middleware: [session(cookie, failing)],
      onError: (error) => void errors.push(error),
    })
    router.post('/', ({ session }) => {
      session.set('x', 1)
      return new Response('ok')
    })
    let response = await router.fetch('http://x.test/', { method: 'POST' })
    expect(response.status).toBe(503)
    expect(await response.text()).not.toContain('ECONNREFUSED')
    expect(errors[0]).toBeInstanceOf(HttpError)
    expect(String((errors[0] as HttpError).cause)).toBe('Error: ECONNREFUSED')
  })

  it('refuses an unsigned cookie at creation', () => {
    expect(() => session(createCookie('sid'), createMemorySessionStorage())).toThrow(
      'session(): the cookie "sid" must be signed; create it with createCookie(name, { secrets: [...] })',
    )
  })

  it('refuses to replace a session another middleware installed', async () => {
    let errors: unknown[] = []
    let storage = createMemorySessionStorage()
    let router = createRouter({
      middleware: [session(cookie, storage), session(cookie, storage)],
      onError: (error) => void errors.push(error),
    })
    router.get('/', () => new Response('x'))
    expect((await router.fetch('http://x.test/')).status).toBe(500)
    expect(String(errors[0])).toBe(
      'Error: session(): this request already has a session; refusing to replace it',
    )
  })
})

describe('session middleware, lazy', () => {
  it('does no storage I/O and sends no cookie when a signed-in request never loads the session', async () => {
    let { storage, calls } = countingStorage()
    let send = browser(lazyCounterApp(storage))
    expect(await (await send('/count', { method: 'POST' })).text()).toBe('1')
    expect(calls).toEqual({ read: 0, write: 1, delete: 0 })

    let response = await send('/health')
    expect(await response.text()).toBe('ok')
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(response.headers.get('Cache-Control')).toBeNull()
    expect(calls).toEqual({ read: 0, write: 1, delete: 0 })
  })

  it('reads the session once when the handler loads it, and saves the change after', async () => {
    let { storage, calls } = countingStorage()
    let send = browser(lazyCounterApp(storage))
    let first = await send('/count', { method: 'POST' })
    expect(first.headers.get('Set-Cookie')).toMatch(/^sid=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/)
    expect(first.headers.get('Cache-Control')).toBe('private, no-store')
    let response = await send('/count', { method: 'POST' })
    expect(await response.text()).toBe('2')
    // The id in the cookie is the same: a change between renewals sends nothing.
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(calls).toEqual({ read: 2, write: 2, delete: 0 }) // the load, and the re-read that merges the save
  })

  it('resolves every loadSession() of a request to one session, also context.get(Session)', async () => {
    let { storage, calls } = countingStorage()
    let router = createRouter({ middleware: [session(cookie, storage, { lazy: true })] })
    router.post('/', async (context) => {
      expect(context.get(Session)).toBeUndefined()
      let [first, second] = await Promise.all([context.loadSession(), context.loadSession()])
      expect(second).toBe(first)
      expect(context.get(Session)).toBe(first)
      if (!first.has('seen')) first.set('seen', true)
      return new Response('ok')
    })
    let send = browser(router)
    await send('/', { method: 'POST' })
    await send('/', { method: 'POST' }) // loads twice, changes nothing
    expect(calls).toEqual({ read: 1, write: 1, delete: 0 })
  })
})

describe('session middleware, lazy, failures', () => {
  it('saves nothing when the handler throws after loading the session', async () => {
    let { storage, calls } = countingStorage()
    let router = createRouter({
      middleware: [session(cookie, storage, { lazy: true })],
      onError: () => {},
    })
    router.post('/', async ({ loadSession }) => {
      ;(await loadSession()).set('count', 1)
      throw new Error('boom')
    })
    let response = await router.fetch('http://x.test/', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(0)
  })

  it('answers 503 when the storage fails to load the session', async () => {
    let errors: unknown[] = []
    let failing = failingStorage()
    let { storage } = countingStorage()
    let signedIn = await lazyCounterApp(storage).fetch('http://x.test/count', { method: 'POST' })
    let jar = String(signedIn.headers.get('Set-Cookie')).replace(/;.*/, '')
    let router = createRouter({
      middleware: [session(cookie, failing, { lazy: true })],
      onError: (error) => void errors.push(error),
    })
    router.get(
      '/',
      async ({ loadSession }) => new Response(String((await loadSession()).get('count'))),
    )
    router.get('/health', () => new Response('ok'))
    let headers = { Cookie: jar }
    expect((await router.fetch('http://x.test/health', { headers })).status).toBe(200)
    let response = await router.fetch('http://x.test/', { headers })
    expect(response.status).toBe(503)
    expect(errors).toHaveLength(1)
    expect((errors[0] as HttpError).cause).toEqual(new Error('ECONNREFUSED'))
  })

  it('answers a cookie that fails as the app error it is (500), not as an outage, in both modes', async () => {
    // Cookie.parse never fails; a subclass's may. Only the storage's failures are a 503.
    class RejectingCookie extends Cookie {
      override parse(): Promise<string | null> {
        return Promise.reject(new Error('parse failed'))
      }
    }
    class ThrowingCookie extends Cookie {
      override parse(): Promise<string | null> {
        throw new Error('parse threw')
      }
    }
    for (let Failing of [RejectingCookie, ThrowingCookie]) {
      for (let lazy of [false, true]) {
        let errors: unknown[] = []
        let failing = new Failing('sid', { secrets: [secret] })
        let router = createRouter({
          middleware: [
            lazy
              ? session(failing, createMemorySessionStorage(), { lazy: true })
              : session(failing, createMemorySessionStorage()),
          ],
          onError: (error) => void errors.push(error),
        })
        let calls: string[] = []
        router.get('/', (context) => {
          if (!lazy) return new Response('read')
          // A promise that rejects, never a throw at the call.
          let loading: Promise<unknown>
          try {
            loading = (context as unknown as { loadSession(): Promise<unknown> }).loadSession()
          } catch {
            calls.push('threw')
            return new Response('threw')
          }
          return loading.then(() => new Response('loaded'))
        })
        let response = await router.fetch('http://x.test/')
        expect([Failing.name, lazy, response.status, calls]).toEqual([Failing.name, lazy, 500, []])
        expect(errors).toEqual([
          new Error(Failing === RejectingCookie ? 'parse failed' : 'parse threw'),
        ])
      }
    }
  })

  it('refuses a lazy and an eager session on one request', async () => {
    let errors: unknown[] = []
    let storage = createMemorySessionStorage()
    let router = createRouter({
      middleware: [session(cookie, storage, { lazy: true }), session(cookie, storage)],
      onError: (error) => void errors.push(error),
    })
    router.get('/', () => new Response('x'))
    expect((await router.fetch('http://x.test/')).status).toBe(500)
    expect(String(errors[0])).toBe(
      'Error: session(): this request already has a session; refusing to replace it',
    )
  })
  it('leaves no unhandled rejection when a handler starts a load and never awaits it', async () => {
    let unhandled: unknown[] = []
    let onUnhandled = (reason: unknown) => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      let failing = failingStorage()
      let router = createRouter({ middleware: [session(cookie, failing, { lazy: true })] })
      router.get('/', async ({ loadSession }) => {
        void loadSession()
        await new Promise((resolve) => setImmediate(resolve))
        return new Response('answered without the session')
      })
      // A well-formed id, so the storage is asked for it.
      let jar = (await cookie.serialize('a'.repeat(32))).replace(/;.*/, '')
      let response = await router.fetch('http://x.test/', { headers: { Cookie: jar } })
      expect(await response.text()).toBe('answered without the session')
      expect(response.headers.get('Set-Cookie')).toBeNull()
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})

describe('session middleware, responses it did not create', () => {
  it('never changes a shared Response: each visitor gets only their own cookie', async () => {
    let noContent = new Response(null, { status: 204 })
    let cached = Response.redirect('http://x.test/done', 303)
    let router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
    router.post('/visit/:name', ({ session, params }) => {
      session.set('name', params.name)
      return params.name === 'ada' ? noContent : cached
    })
    router.post('/again/:name', ({ session, params }) => {
      session.set('name', params.name)
      return noContent
    })
    let ada = await router.fetch('http://x.test/visit/ada', { method: 'POST' })
    let bob = await router.fetch('http://x.test/again/bob', { method: 'POST' })
    let cy = await router.fetch('http://x.test/visit/cy', { method: 'POST' })
    expect(ada.status).toBe(204)
    expect(bob.status).toBe(204)
    expect(cy.status).toBe(303)
    expect(cy.headers.get('Location')).toBe('http://x.test/done')
    for (let response of [ada, bob, cy]) expect(response.headers.getSetCookie()).toHaveLength(1)
    expect(new Set([ada, bob, cy].map((r) => r.headers.get('Set-Cookie'))).size).toBe(3)
    expect([...noContent.headers]).toEqual([])
    expect([...cached.headers]).toEqual([['location', 'http://x.test/done']])
  })
})

describe('session middleware, errors', () => {
  function oversizedApp(storage: SessionStorage, size: number) {
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [session(cookie, storage)],
      onError: (error) => void errors.push(error),
    })
    router.post('/', ({ session }) => {
      session.set('name', 'ada')
      session.set('blob', 'x'.repeat(size))
      return new Response('saved')
    })
    return { router, errors }
  }

  it.each([
    ['the cookie storage', 5000],
    ['the signed cookie', 3500],
  ])('answers 500 with a SessionTooLargeError when the session outgrows %s', async (_, size) => {
    let { router, errors } = oversizedApp(createCookieSessionStorage(), size)
    let response = await router.fetch('http://x.test/', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    let error = errors[0] as SessionTooLargeError
    expect(error).toBeInstanceOf(SessionTooLargeError)
    expect(error).toBeInstanceOf(RangeError)
    expect(error.limit).toBe(4096)
    expect(error.size).toBeGreaterThan(4096)
    expect(error.changedKeys).toEqual([
      { key: 'blob', size: size + 2 },
      { key: 'name', size: 5 },
    ])
    expect(error.message).toContain(
      `over the 4096 bytes a browser keeps in a cookie. Keys this request changed: blob (${size + 2} bytes), name (5 bytes)`,
    )
  })

  it('answers 500, not 503, for a value that cannot be serialized', async () => {
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [session(cookie, createMemorySessionStorage())],
      onError: (error) => void errors.push(error),
    })
    router.post('/', ({ session }) => {
      session.set('callback', () => 'not data')
      return new Response('saved')
    })
    let response = await router.fetch('http://x.test/', { method: 'POST' })
    expect(response.status).toBe(500)
    expect((errors[0] as Error).name).toBe('DevalueError')
  })
})

describe('session middleware, HEAD requests', () => {
  it('leaves a flash message for the GET after a HEAD read it, and sends no cookie', async () => {
    let { storage, calls } = countingStorage()
    let router = createRouter({ middleware: [session(cookie, storage)] })
    router.post('/add', ({ session }) => {
      session.flash('notice', 'Item added')
      return redirect('/cart', 303)
    })
    router.get('/cart', ({ session }) => new Response(String(session.get('notice') ?? 'none')))
    let send = browser(router)
    await send('/add', { method: 'POST' })
    let head = await send('/cart', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(1)
    expect(await (await send('/cart')).text()).toBe('Item added')
    expect(await (await send('/cart')).text()).toBe('none')
  })
})

describe('session middleware, responses for shared caches', () => {
  const cacheable: Record<string, Record<string, string>> = {
    '/public': { 'Cache-Control': 'public, max-age=600' },
    '/edge': { 'Cache-Control': 's-maxage=60' },
    '/max-age': { 'Cache-Control': 'max-age=600' },
    '/no-cache': { 'Cache-Control': 'no-cache' },
    '/cdn': { 'Cache-Control': 'private', 'CDN-Cache-Control': 'max-age=600' },
    '/surrogate': { 'Surrogate-Control': 'max-age=3600' },
  }

  function cacheableApp(storage: SessionStorage, extra: Middleware[] = []) {
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [session(cookie, storage), ...extra],
      onError: (error) => void errors.push(error),
    })
    router.post('/count', ({ session }) => {
      session.set('count', ((session.get('count') as number | undefined) ?? 0) + 1)
      return new Response('counted')
    })
    router.get('/count', ({ session }) => new Response(String(session.get('count') ?? 0)))
    router.get('/:page', ({ params }) => {
      return new Response('the same for everyone', { headers: cacheable[`/${params.page}`] })
    })
    router.post('/:page', ({ session, params }) => {
      session.set('count', 0)
      return new Response('changed', { headers: cacheable[`/${params.page}`] })
    })
    return { router, errors }
  }

  it.each(Object.keys(cacheable))(
    'sends no cookie on %s when only a renewal is due, and renews on the next private response',
    async (path) => {
      vi.useFakeTimers({ toFake: ['Date'] })
      let { router } = cacheableApp(createCookieSessionStorage({ idleTimeout: 3600 }))
      let send = browser(router)
      await send('/count', { method: 'POST' })
      vi.advanceTimersByTime(30 * 60_000) // past a tenth of the idle timeout: a renewal is due
      let cached = await send(path)
      expect(cached.headers.get('Set-Cookie')).toBeNull()
      expect(cached.headers.get('Cache-Control')).toBe(cacheable[path]?.['Cache-Control'] ?? null)
      let renewed = await send('/count')
      expect(renewed.headers.get('Set-Cookie')).toMatch(/^sid=/)
      vi.advanceTimersByTime(45 * 60_000) // 75 minutes after the login, 45 after the renewal
      expect(await (await send('/count')).text()).toBe('1')
    },
  )

  it.each(Object.keys(cacheable))(
    'refuses, with a 500 naming the rule, a changed session on %s, saving nothing',
    async (path) => {
      let { storage, calls } = countingStorage()
      let { router, errors } = cacheableApp(storage)
      let response = await router.fetch(`http://x.test${path}`, { method: 'POST' })
      expect(response.status).toBe(500)
      expect(response.headers.get('Set-Cookie')).toBeNull()
      expect(calls.write).toBe(0)
      let [name, value] = Object.entries(cacheable[path] ?? {}).at(-1) as [string, string]
      expect(String(errors[0])).toContain(
        `a shared cache may store the response (${name}: ${value})`,
      )
      expect(String(errors[0])).toContain(
        'a response that sets the session cookie must not be storable by a shared cache',
      )
    },
  )

  it('sees the caching headers of a middleware listed after it', async () => {
    let publicly: Middleware = async (_, next) => {
      let response = await next()
      let copy = new Response(response.body, response)
      copy.headers.set('Cache-Control', 'public, max-age=600')
      return copy
    }
    let { storage, calls } = countingStorage()
    let { router } = cacheableApp(storage, [publicly])
    let response = await router.fetch('http://x.test/count', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(0)
  })

  /** `cacheableApp` with `POST /text`: changes the session, answers text() made `public`. */
  function publicTextApp() {
    let { storage, calls } = countingStorage()
    let { router, errors } = cacheableApp(storage)
    router.post('/text', ({ session }) => {
      session.set('count', 0)
      let response = text('changed')
      response.headers.set('Cache-Control', 'public, max-age=600')
      return response
    })
    return { router, errors, calls }
  }

  // text() remembers the headers it made, so the middleware need not read them: a change made
  // through response.headers must still count, whenever and wherever it was made.
  it('refuses a changed session on a text() response the handler then made shareable', async () => {
    let { router, errors, calls } = publicTextApp()
    let response = await router.fetch('http://x.test/text', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(0)
    expect(String(errors[0])).toContain('(Cache-Control: public, max-age=600)')
  })

  it('refuses a changed session on a module-level text() an earlier request made shareable', async () => {
    let shared = text('the same for everyone')
    let { storage, calls } = countingStorage()
    let { router } = cacheableApp(storage)
    router.get('/open', () => {
      shared.headers.set('Cache-Control', 'public, max-age=600')
      return new Response('opened')
    })
    router.post('/shared', ({ session }) => {
      session.set('count', 0)
      return shared
    })
    let before = await router.fetch('http://x.test/shared', { method: 'POST' })
    expect(before.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(calls.write).toBe(1)
    expect((await router.fetch('http://x.test/open')).status).toBe(200)
    let after = await router.fetch('http://x.test/shared', { method: 'POST' })
    expect(after.status).toBe(500)
    expect(after.headers.get('Set-Cookie')).toBeNull()
    expect(calls.write).toBe(1)
  })

  it('copies the headers checked before the save, whatever another request changes meanwhile', async () => {
    let startWrite!: () => void
    let writing = new Promise<void>((resolve) => {
      startWrite = resolve
    })
    let endWrite!: () => void
    let written = new Promise<void>((resolve) => {
      endWrite = resolve
    })
    let rows = new Map<string, string>()
    let storage = createSessionStorage({
      readData: async (id) => rows.get(id) ?? null,
      createData: async (id, data) => {
        startWrite()
        await written
        rows.set(id, data)
      },
      updateData: async (id, data) => void rows.set(id, data),
      deleteData: async (id) => void rows.delete(id),
    })
    let shared = text('the same for everyone')
    let { router } = cacheableApp(storage)
    router.post('/login', ({ session }) => {
      session.set('user', 'ada')
      return shared
    })
    router.get('/open', () => {
      shared.headers.set('Cache-Control', 'public, max-age=600')
      return new Response('opened')
    })
    let login = router.fetch('http://x.test/login', { method: 'POST' })
    await writing
    expect((await router.fetch('http://x.test/open')).status).toBe(200)
    endWrite()
    let response = await login
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    expect(shared.headers.get('Cache-Control')).toBe('public, max-age=600')
  })

  // Instrumentation may replace the global Response with a wrapper that ignores `new.target`: the
  // helpers' responses are then plain ones, whose headers the middleware must read.
  let wrappers: [string, (base: typeof Response) => typeof Response][] = [
    ['a Proxy', (base) => new Proxy(base, { construct: (target, args) => new target(...args) })],
    ['a function', wrapperOf],
  ]
  it.each(wrappers)(
    'sees what a handler set on text() when the global Response is %s',
    async (_, wrap) => {
      let original = globalThis.Response
      globalThis.Response = wrap(original)
      try {
        let { router, calls } = publicTextApp()
        let response = await router.fetch('http://x.test/text', { method: 'POST' })
        expect(response.status).toBe(500)
        expect(calls.write).toBe(0)
      } finally {
        globalThis.Response = original
      }
    },
  )

  it('copies the headers a handler added to a text() response, with the cookie', async () => {
    let { storage } = countingStorage()
    let { router } = cacheableApp(storage)
    router.post('/text', ({ session }) => {
      session.set('count', 0)
      let response = text('a,b')
      response.headers.set('Content-Type', 'text/csv')
      response.headers.set('X-Request-Id', 'r-1')
      return response
    })
    let response = await router.fetch('http://x.test/text', { method: 'POST' })
    expect(response.status).toBe(200)
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(response.headers.get('Content-Type')).toBe('text/csv')
    expect(response.headers.get('X-Request-Id')).toBe('r-1')
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await response.text()).toBe('a,b')
  })

  it.each(['public, max-age=600', 'max-age=600', 'private="set-cookie"'])(
    'refuses a cacheControl option of %j at creation',
    (value) => {
      expect(() => session(cookie, createMemorySessionStorage(), { cacheControl: value })).toThrow(
        new TypeError(
          `session(): cacheControl ${JSON.stringify(value)} would let shared caches store the session cookie; it needs an unqualified \`private\` or \`no-store\` (or false to add none)`,
        ),
      )
    },
  )
})

describe('session middleware, Secure over HTTPS', () => {
  function secureApp(sessionCookie = cookie, extra: Middleware[] = []) {
    let router = createRouter({
      middleware: [...extra, session(sessionCookie, createMemorySessionStorage())],
    })
    router.post('/', ({ session }) => {
      session.set('seen', true)
      return new Response('ok')
    })
    router.post('/logout', ({ session }) => {
      session.destroy()
      return new Response('bye')
    })
    return router
  }
  let post = (router: Router<object>, url: string) =>
    router.fetch(url, { method: 'POST' }).then((r) => r.headers.get('Set-Cookie') as string)

  it('marks the cookie Secure for a request over https, and not over http', async () => {
    let router = secureApp()
    expect(await post(router, 'https://x.test/')).toMatch(
      /^sid=[^;]+; HttpOnly; Path=\/; SameSite=Lax; Secure$/,
    )
    expect(await post(router, 'https://x.test/logout')).toMatch(/Max-Age=0.*; Secure$/)
    expect(await post(router, 'http://localhost/')).toMatch(
      /^sid=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/,
    )
  })

  it('reads the scheme from context.url, as a trusted proxy middleware sets it', async () => {
    let fromProxy: Middleware = (context, next) => {
      if (context.headers.get('X-Forwarded-Proto') === 'https') {
        let url = new URL(context.url)
        url.protocol = 'https:'
        context.url = url
      }
      return next()
    }
    let router = secureApp(cookie, [fromProxy])
    let response = await router.fetch('http://x.test/', {
      method: 'POST',
      headers: { 'X-Forwarded-Proto': 'https' },
    })
    expect(response.headers.get('Set-Cookie')).toMatch(/; Secure$/)
  })

  it('leaves Secure off over https when the cookie was created with secure: false', async () => {
    let insecure = createCookie('sid', { secrets: [secret], secure: false })
    expect(await post(secureApp(insecure), 'https://x.test/')).not.toContain('Secure')
  })
})

/** A function standing in for `base`, returning `base`'s instances whatever `new.target` is. */
function wrapperOf(base: typeof Response): typeof Response {
  function WrappedResponse(body?: BodyInit | null, init?: ResponseInit) {
    return new base(body, init)
  }
  WrappedResponse.prototype = base.prototype
  return WrappedResponse as unknown as typeof Response
}
