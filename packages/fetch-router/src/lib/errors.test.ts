import { describe, expect, it } from 'vitest'
import { HttpError } from './http-error.ts'
import { createRouter } from './router.ts'

describe('uncaught errors', () => {
  it('answers 500 with a generic body and no stack trace, and logs the error by default', async () => {
    let logged: unknown[] = []
    let original = console.error
    console.error = (...args: unknown[]) => void logged.push(...args)
    try {
      let router = createRouter()
      router.get('/', () => {
        throw new Error('database password is hunter2')
      })
      let response = await router.fetch('http://x.test/')
      expect(response.status).toBe(500)
      let body = await response.text()
      expect(body).toBe('Internal Server Error')
      expect(body).not.toContain('hunter2')
      expect(String(logged[0])).toContain('database password is hunter2')
    } finally {
      console.error = original
    }
  })

  it('calls onError with the error and context, and sends the response it returns', async () => {
    let router = createRouter({
      onError: (error, context) =>
        new Response(`failed ${context.url.pathname}: ${(error as Error).message}`, {
          status: 502,
        }),
    })
    router.get('/upstream', () => Promise.reject(new Error('timeout')))
    let response = await router.fetch('http://x.test/upstream')
    expect(response.status).toBe(502)
    expect(await response.text()).toBe('failed /upstream: timeout')
  })

  it('reports a rejected thenable (a promise from another realm) to onError', async () => {
    let errors: unknown[] = []
    let router = createRouter({
      // Not a native Promise: a thenable that rejects, as a promise from a vm context would be.
      defaultHandler: () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the point of the test
          then: (_resolve: unknown, reject: (error: Error) => void) => reject(new Error('boom')),
        }) as unknown as Promise<Response>,
      onError: (error) => void errors.push(error),
    })
    let response = await router.fetch('http://x.test/missing')
    expect(response.status).toBe(500)
    expect(String(errors[0])).toBe('Error: boom')
  })

  it('answers 500 when onError itself throws', async () => {
    let original = console.error
    console.error = () => {}
    try {
      let router = createRouter({
        onError: () => {
          throw new Error('hook broke')
        },
      })
      router.get('/', () => {
        throw new Error('first')
      })
      let response = await router.fetch('http://x.test/')
      expect(response.status).toBe(500)
      expect(await response.text()).toBe('Internal Server Error')
    } finally {
      console.error = original
    }
  })

  it('treats a handler that returns no Response as an error', async () => {
    let errors: unknown[] = []
    let router = createRouter({ onError: (error) => void errors.push(error) })
    router.get('/oops', (() => 'text') as never)
    expect((await router.fetch('http://x.test/oops')).status).toBe(500)
    expect(String(errors[0])).toBe('TypeError: The handler of GET /oops returned no Response')
  })

  it('lets a middleware catch an error around await next()', async () => {
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          try {
            return await next()
          } catch (error) {
            return new Response(`caught ${(error as Error).message}`, { status: 503 })
          }
        },
      ],
    })
    router.get('/', () => {
      throw new Error('boom')
    })
    let response = await router.fetch('http://x.test/')
    expect(response.status).toBe(503)
    expect(await response.text()).toBe('caught boom')
  })
})

describe('HttpError', () => {
  it('becomes its own response wherever it is thrown, without calling onError', async () => {
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [
        ({ headers }, next) => {
          if (!headers.get('Authorization')) {
            throw new HttpError(401, 'Sign in first', { headers: { 'WWW-Authenticate': 'Bearer' } })
          }
          return next()
        },
      ],
      onError: (error) => void errors.push(error),
    })
    router.get('/books/:id', ({ params }) => {
      throw new HttpError(404, `No book ${params.id}`)
    })
    let unauthorized = await router.fetch('http://x.test/books/1')
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect(await unauthorized.text()).toBe('Sign in first')
    let missing = await router.fetch('http://x.test/books/1', {
      headers: { Authorization: 'Bearer x' },
    })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await missing.text()).toBe('No book 1')
    expect(errors).toEqual([])
  })

  it('reports a 5xx HttpError to onError, then answers with its own response', async () => {
    let errors: unknown[] = []
    let router = createRouter({ onError: (error) => void errors.push(error) })
    router.get('/', () => {
      throw new HttpError(503, 'Try again soon', { headers: { 'Retry-After': '5' } })
    })
    let response = await router.fetch('http://x.test/')
    expect([response.status, response.headers.get('Retry-After'), await response.text()]).toEqual([
      503,
      '5',
      'Try again soon',
    ])
    expect(errors).toHaveLength(1)
  })

  it('defaults the message to the status text', async () => {
    let response = new HttpError(409).toResponse()
    expect(response.status).toBe(409)
    expect(await response.text()).toBe('Conflict')
  })

  it('can be caught by middleware on the way up', async () => {
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          try {
            return await next()
          } catch (error) {
            if (error instanceof HttpError && error.status === 404) {
              return new Response('custom not found page', { status: 404 })
            }
            throw error
          }
        },
      ],
    })
    router.get('/', () => {
      throw new HttpError(404)
    })
    expect(await (await router.fetch('http://x.test/')).text()).toBe('custom not found page')
  })

  it('refuses a status outside 400 to 599', () => {
    expect(() => new HttpError(200)).toThrow(RangeError)
    expect(() => new HttpError(600)).toThrow(RangeError)
  })
})
