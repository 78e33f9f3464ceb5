import { fileURLToPath } from 'node:url'
import { runtimes, type Server, startServer } from '@x/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const here = fileURLToPath(new URL('.', import.meta.url))

describe.each(runtimes)('examples/hello on $name', (runtime) => {
  let server: Server
  beforeAll(async () => {
    server = await startServer(runtime, here)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('serves HTML with links built from the route map', async () => {
    let response = await fetch(`${server.base}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toContain('<a href="/books/1">The Pragmatic Programmer</a>')
  })

  it('serves JSON from a route with params', async () => {
    let response = await fetch(`${server.base}/books/2`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      id: 2,
      title: 'Structure and Interpretation of Computer Programs',
    })
  })

  it('answers 404 for an unknown path and for an unknown book', async () => {
    expect((await fetch(`${server.base}/nowhere`)).status).toBe(404)
    let missing = await fetch(`${server.base}/books/99`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('No book 99')
  })

  it('answers 405 with an Allow header for a known path and the wrong method', async () => {
    let response = await fetch(`${server.base}/books/1`, { method: 'DELETE' })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('answers HEAD like GET without a body', async () => {
    let response = await fetch(`${server.base}/books/1`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(await response.text()).toBe('')
  })

  it('answers OPTIONS with 204 and Allow', async () => {
    let response = await fetch(`${server.base}/books`, { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, POST, OPTIONS')
  })

  it('validates a JSON body: 400 with issues, 415 for another type, 201 when valid', async () => {
    let post = (body: string, type = 'application/json') =>
      fetch(`${server.base}/books`, { method: 'POST', headers: { 'Content-Type': type }, body })
    let invalid = await post('{"title": ""}')
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ issues: [{ in: 'json', path: ['title'] }] })
    expect((await post('title=x', 'text/plain')).status).toBe(415)
    let created = await post('{"title": "Refactoring"}')
    expect(created.status).toBe(201)
    expect(created.headers.get('Location')).toMatch(/^\/books\/\d+$/)
  })

  it('answers malformed percent-encoding with 400 and a bad id with 400', async () => {
    expect((await fetch(`${server.base}/books/%E0%A4%A`)).status).toBe(400)
    expect((await fetch(`${server.base}/books/abc`)).status).toBe(400)
  })
})
