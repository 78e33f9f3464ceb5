import { Session, type SessionStorage } from '@x/session'
import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { describe, expect, it } from 'vitest'
import type { Middleware } from './middleware.ts'
import { html, json, redirect, text } from './response-helpers.ts'
import { createRouter } from './router.ts'
import type { RouterOptions } from './router-options.ts'
import { session } from './session-middleware.ts'

const cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })

/** One page made at startup and returned to every visitor. */
const page = html('<p>hi</p>')

/** The `name=value` a browser sends back for a `Set-Cookie`. */
const sent = (response: Response) => String(response.headers.get('Set-Cookie')).split(';')[0]

async function stored(storage: SessionStorage, response: Response, key: string) {
  return (await storage.read(await cookie.parse(sent(response)))).get(key)
}

/** Routes that change the session and answer with each helper. */
function helperApp() {
  let storage = createMemorySessionStorage()
  let router = createRouter({ middleware: [session(cookie, storage)] })
  router.post('/text', ({ session }) => {
    session.set('via', 'text')
    return text('saved', { status: 201 })
  })
  router.post('/html', ({ session }) => {
    session.set('via', 'html')
    return html('<h1>saved</h1>')
  })
  router.post('/json', ({ session }) => {
    session.set('via', 'json')
    return json({ saved: true })
  })
  router.post('/redirect', ({ session }) => {
    session.set('via', 'redirect')
    return redirect('/done', 303)
  })
  router.get('/page/:name', ({ session, params }) => {
    session.set('via', params.name)
    return page
  })
  return { router, storage }
}

/** A router whose session is changed by a middleware inside `session()`, for every request. */
function countingApp(options: Omit<RouterOptions, 'middleware'> = {}) {
  let storage = createMemorySessionStorage()
  let counting: Middleware = (context, next) => {
    let current = context.get(Session)
    current?.set('visits', ((current.get('visits') as number | undefined) ?? 0) + 1)
    return next()
  }
  let router = createRouter({ ...options, middleware: [session(cookie, storage), counting] })
  router.get('/books', () => new Response('books'))
  return { router, storage }
}

describe('helper responses behind the session middleware', () => {
  it.each([
    ['/text', 201, 'text/plain; charset=utf-8', 'saved'],
    ['/html', 200, 'text/html; charset=utf-8', '<h1>saved</h1>'],
    ['/json', 200, 'application/json; charset=utf-8', '{"saved":true}'],
    ['/redirect', 303, null, ''],
  ])(
    'answers %s with its status, body, content type and the cookie',
    async (path, status, type, body) => {
      let { router, storage } = helperApp()
      let response = await router.fetch(`http://x.test${path}`, { method: 'POST' })
      expect(response.status).toBe(status)
      expect(response.headers.get('Content-Type')).toBe(type)
      expect(await response.text()).toBe(body)
      expect(response.headers.getSetCookie()).toHaveLength(1)
      expect(response.headers.get('Cache-Control')).toBe('private, no-store')
      expect(await stored(storage, response, 'via')).toBe(path.slice(1))
    },
  )

  it('keeps the Location of a redirect', async () => {
    let { router } = helperApp()
    let response = await router.fetch('http://x.test/redirect', { method: 'POST' })
    expect(response.headers.get('Location')).toBe('/done')
  })

  it('answers two visitors from one module-level html() page, each with their own cookie only', async () => {
    let { router, storage } = helperApp()
    let ada = await router.fetch('http://x.test/page/ada')
    // The first answer is sent before the second request: a copy sharing a stream would use it up.
    expect(await ada.text()).toBe('<p>hi</p>')
    let bob = await router.fetch('http://x.test/page/bob')
    expect(bob.status).toBe(200)
    expect(await bob.text()).toBe('<p>hi</p>')
    expect(bob.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(ada.headers.getSetCookie()).toHaveLength(1)
    expect(bob.headers.getSetCookie()).toHaveLength(1)
    expect(await stored(storage, ada, 'via')).toBe('ada')
    expect(await stored(storage, bob, 'via')).toBe('bob')
    expect(page.headers.get('Set-Cookie')).toBeNull()
    expect(page.headers.get('Cache-Control')).toBeNull()
  })
})

describe('HEAD and helper responses', () => {
  it('answers HEAD without spending the body of the response the handler returned', async () => {
    let kept = text('kept page')
    let router = createRouter()
    router.get('/kept', () => kept)
    let head = await router.fetch('http://x.test/kept', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await head.text()).toBe('')
    expect(kept.bodyUsed).toBe(false)
    expect(await (await router.fetch('http://x.test/kept')).text()).toBe('kept page')
  })
})

describe('router answers behind the session middleware', () => {
  it('answers 404 with its body and the cookie of a session changed on the way in', async () => {
    let { router, storage } = countingApp()
    let response = await router.fetch('http://x.test/nowhere')
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe('Not Found')
    expect(await stored(storage, response, 'visits')).toBe(1)
  })

  it('answers 405 with its body, Allow and the cookie', async () => {
    let { router, storage } = countingApp()
    let response = await router.fetch('http://x.test/books', { method: 'DELETE' })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
    expect(await response.text()).toBe('Method Not Allowed')
    expect(await stored(storage, response, 'visits')).toBe(1)
  })

  it('answers OPTIONS with 204, Allow and the cookie', async () => {
    let { router, storage } = countingApp()
    let response = await router.fetch('http://x.test/books', { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
    expect(response.body).toBeNull()
    expect(await stored(storage, response, 'visits')).toBe(1)
  })

  it('answers the trailing-slash redirect with 308, Location and the cookie', async () => {
    let { router, storage } = countingApp({ trailingSlash: 'redirect' })
    let response = await router.fetch('http://x.test/books/')
    expect(response.status).toBe(308)
    expect(response.headers.get('Location')).toBe('http://x.test/books')
    expect(await stored(storage, response, 'visits')).toBe(1)
  })
})
