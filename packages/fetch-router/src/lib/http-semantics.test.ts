import { describe, expect, it } from 'vitest'
import { HttpError } from './http-error.ts'
import { createRouter } from './router.ts'

function booksRouter() {
  let router = createRouter()
  router.get(
    '/books/:id',
    ({ params }) => new Response(`book ${params.id}`, { headers: { 'X-Book': String(params.id) } }),
  )
  router.put('/books/:id', () => new Response('updated'))
  router.post('/books', () => new Response('created', { status: 201 }))
  return router
}

/** A request to /books/1 whose `getter` throws `error`, as a broken Request subclass would. */
function brokenRequest(getter: string, error: Error): Request {
  class BrokenRequest extends Request {}
  Object.defineProperty(BrokenRequest.prototype, getter, {
    get() {
      throw error
    },
  })
  return new BrokenRequest('http://x.test/books/1')
}

describe('HEAD', () => {
  it('answers HEAD on a GET route with the GET status and headers and no body', async () => {
    let response = await booksRouter().fetch('http://x.test/books/1', { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('X-Book')).toBe('1')
    expect(await response.text()).toBe('')
  })

  it('prefers the GET route of a pattern over a less specific catch-all', async () => {
    let router = createRouter()
    router.get('/x/:id', () => new Response('x', { headers: { 'X-Route': 'get' } }))
    router.route('ANY', '/*rest', () => new Response('any', { headers: { 'X-Route': 'any' } }))
    let response = await router.fetch('http://x.test/x/1', { method: 'HEAD' })
    expect(response.headers.get('X-Route')).toBe('get')
  })

  it('never sends a body for HEAD, even from an ANY route', async () => {
    let router = createRouter()
    router.route('ANY', '/any', () => new Response('body'))
    expect(await (await router.fetch('http://x.test/any', { method: 'HEAD' })).text()).toBe('')
  })

  it.each([
    ['a middleware answering early', '/early', 401],
    ['no route (404)', '/missing', 404],
    ['a path with routes for other methods only (405)', '/posts', 405],
    ['an HttpError', '/teapot', 418],
    ['an uncaught error (500)', '/broken', 500],
    ['a path over maxPathLength (414)', `/${'a'.repeat(100)}`, 414],
    ['malformed percent-encoding (400)', '/%ZZ', 400],
  ])(
    'answers HEAD without a body for %s, keeping status and headers',
    async (_what, path, status) => {
      let router = createRouter({
        maxPathLength: 50,
        middleware: [
          ({ url }, next) => {
            if (url.pathname !== '/early') return next()
            return new Response('log in first', {
              status: 401,
              headers: { 'Content-Type': 'text/plain; charset=utf-8' },
            })
          },
        ],
        onError: () => undefined,
      })
      router.post('/posts', () => new Response('created'))
      router.get('/teapot', () => {
        throw new HttpError(418, 'short and stout')
      })
      router.get('/broken', () => {
        throw new Error('boom')
      })
      let response = await router.fetch(`http://x.test${path}`, { method: 'HEAD' })
      expect(response.status).toBe(status)
      expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
      expect(response.body).toBeNull()
    },
  )

  it('answers HEAD with a new response, leaving the one the handler returned untouched', async () => {
    let original = new Response('body', { headers: { 'X-Kept': 'yes' } })
    let router = createRouter()
    router.get('/', () => original)
    let response = await router.fetch('http://x.test/', { method: 'HEAD' })
    expect(response).not.toBe(original)
    expect(response.headers.get('X-Kept')).toBe('yes')
    expect(original.status).toBe(200)
    expect(original.headers.get('X-Kept')).toBe('yes')
  })

  it('lets an explicit HEAD route win over the automatic answer', async () => {
    let router = booksRouter()
    router.head('/books/:id', () => new Response(null, { headers: { 'X-Head': 'explicit' } }))
    let response = await router.fetch('http://x.test/books/1', { method: 'HEAD' })
    expect(response.headers.get('X-Head')).toBe('explicit')
    expect(response.headers.get('X-Book')).toBeNull()
  })
})

describe('405 Method Not Allowed', () => {
  it('answers a known path with the wrong method with 405 and an Allow header', async () => {
    let response = await booksRouter().fetch('http://x.test/books/1', { method: 'DELETE' })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, PUT, OPTIONS')
  })

  it('lists the methods of every route matching the path', async () => {
    let router = createRouter()
    router.get('/items/new', () => new Response('form'))
    router.delete('/items/:id', () => new Response('deleted'))
    let response = await router.fetch('http://x.test/items/new', { method: 'PATCH' })
    expect(response.headers.get('Allow')).toBe('GET, HEAD, DELETE, OPTIONS')
  })

  it('answers methods the router has no verb for, like PROPFIND, with 405', async () => {
    let response = await booksRouter().fetch('http://x.test/books', { method: 'PROPFIND' })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('POST, OPTIONS')
  })
})

describe('OPTIONS', () => {
  it('answers OPTIONS on a known path with 204 and Allow', async () => {
    let response = await booksRouter().fetch('http://x.test/books/1', { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, PUT, OPTIONS')
    expect(await response.text()).toBe('')
  })

  it('answers OPTIONS on an unknown path with 404', async () => {
    let response = await booksRouter().fetch('http://x.test/nope', { method: 'OPTIONS' })
    expect(response.status).toBe(404)
  })

  it('answers an unknown path with a plain 404 that does not echo the path', async () => {
    let response = await booksRouter().fetch('http://x.test/%3Cscript%3Ealert(1)%3C/script%3E')
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe('Not Found')
  })

  it('lets an explicit OPTIONS route win over the automatic answer', async () => {
    let router = booksRouter()
    router.options('/books', () => new Response('cors', { headers: { 'X-Cors': '1' } }))
    let response = await router.fetch('http://x.test/books', { method: 'OPTIONS' })
    expect(response.status).toBe(200)
    expect(response.headers.get('X-Cors')).toBe('1')
  })
})

describe('bad input', () => {
  it('answers an invalid URL with 400 instead of throwing', async () => {
    let router = booksRouter()
    let response = await router.fetch('not a url')
    expect(response.status).toBe(400)
    expect(await router.fetch('/books/1').then((r) => r.status)).toBe(400)
  })

  it('answers invalid request options with 400', async () => {
    let response = await booksRouter().fetch('http://x.test/books/1', { body: 'x' })
    expect(response.status).toBe(400)
  })

  it('answers malformed percent-encoding in the path with 400', async () => {
    let router = booksRouter()
    for (let path of ['/books/%E0%A4%A', '/books/%', '/%ZZ/x']) {
      let response = await router.fetch(`http://x.test${path}`)
      expect(response.status).toBe(400)
      expect(await response.text()).toBe('Bad Request: malformed percent-encoding in the URL path')
    }
  })

  it('answers an absurdly long path with 414, and honours maxPathLength', async () => {
    let long = `/books/${'a'.repeat(10_000)}`
    expect((await booksRouter().fetch(`http://x.test${long}`)).status).toBe(414)
    let router = createRouter({ maxPathLength: 20 })
    router.get('/*path', () => new Response('ok'))
    expect((await router.fetch(`http://x.test/${'b'.repeat(19)}`)).status).toBe(200)
    expect((await router.fetch(`http://x.test/${'b'.repeat(20)}`)).status).toBe(414)
  })

  it('answers a HEAD request with invalid options with 400 and no body', async () => {
    let response = await booksRouter().fetch('not a url', { method: 'HEAD' })
    expect(response.status).toBe(400)
    expect(response.body).toBeNull()
  })

  it.each(['method', 'signal'])(
    'never throws synchronously for a Request whose %s getter throws: the promise rejects with it',
    async (getter) => {
      let broken = new Error(`broken ${getter}`)
      let router = booksRouter()
      let answer: Promise<Response> | undefined
      expect(() => {
        answer = router.fetch(brokenRequest(getter, broken))
      }).not.toThrow()
      await expect(answer).rejects.toBe(broken)
    },
  )

  it('treats an error from another getter of the Request as an uncaught error: onError, then 500', async () => {
    let broken = new Error('broken url')
    let errors: unknown[] = []
    let router = createRouter({ onError: (error) => void errors.push(error) })
    router.get('/books/:id', () => new Response('book'))
    let response = await router.fetch(brokenRequest('url', broken))
    expect(response.status).toBe(500)
    expect(errors).toEqual([broken])
  })

  it('never returns a promise rejection nor throws for hostile paths', async () => {
    let router = booksRouter()
    let paths = ['/../../etc/passwd', '/books/..%2F..%2F', '//books//1', '/books/1?%%%', '/%00']
    for (let path of paths) {
      let response = await router.fetch(`http://x.test${path}`)
      expect(response.status).toBeGreaterThanOrEqual(200)
      expect(response.status).toBeLessThan(500)
    }
  })
})
