import { describe, expect, it } from 'vitest'
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
