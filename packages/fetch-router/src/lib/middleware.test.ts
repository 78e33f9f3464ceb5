import { describe, expect, it } from 'vitest'
import type { Middleware } from './middleware.ts'
import { route } from './route-map.ts'
import { createRouter } from './router.ts'

function tag(name: string, log: string[]): Middleware {
  return async (_context, next) => {
    log.push(`${name}:before`)
    let response = await next()
    log.push(`${name}:after`)
    return response
  }
}

describe('middleware', () => {
  it('runs router, controller and action middleware in that order around the handler', async () => {
    let log: string[] = []
    let router = createRouter({ middleware: [tag('router', log)] })
    let routes = route({ show: '/show' })
    router.map(routes, {
      middleware: [tag('controller', log)],
      actions: {
        show: {
          middleware: [tag('action', log)],
          handler: () => {
            log.push('handler')
            return new Response('ok')
          },
        },
      },
    })
    await router.fetch('http://x.test/show')
    expect(log).toEqual([
      'router:before',
      'controller:before',
      'action:before',
      'handler',
      'action:after',
      'controller:after',
      'router:after',
    ])
  })

  it('runs router middleware for unmatched requests too', async () => {
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          let response = await next()
          response.headers.set('X-Seen', 'yes')
          return response
        },
      ],
    })
    let response = await router.fetch('http://x.test/missing')
    expect(response.status).toBe(404)
    expect(response.headers.get('X-Seen')).toBe('yes')
  })

  it('short-circuits when a middleware returns a response', async () => {
    let router = createRouter({ middleware: [() => new Response('blocked', { status: 403 })] })
    router.get('/', () => new Response('secret'))
    let response = await router.fetch('http://x.test/')
    expect(response.status).toBe(403)
    expect(await response.text()).toBe('blocked')
  })

  it('accepts `return next()` and `await next()` without a return', async () => {
    let router = createRouter({
      middleware: [(_context, next) => next(), async (_context, next) => void (await next())],
    })
    router.get('/', () => new Response('through'))
    expect(await (await router.fetch('http://x.test/')).text()).toBe('through')
  })

  it('lets a middleware replace the downstream response', async () => {
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          let response = await next()
          return new Response(`wrapped ${await response.text()}`)
        },
      ],
    })
    router.get('/', () => new Response('inner'))
    expect(await (await router.fetch('http://x.test/')).text()).toBe('wrapped inner')
  })

  it('runs before matching, so it can override the method', async () => {
    let router = createRouter({
      middleware: [
        (context, next) => {
          let override = context.url.searchParams.get('_method')
          if (override) context.method = override.toUpperCase()
          return next()
        },
      ],
    })
    router.delete('/items/:id', ({ params }) => new Response(`deleted ${params.id}`))
    let response = await router.fetch('http://x.test/items/4?_method=delete', { method: 'POST' })
    expect(await response.text()).toBe('deleted 4')
  })
})

describe('middleware: params, next() and aborts', () => {
  it('sees route params in controller and action middleware', async () => {
    let router = createRouter()
    router.get('/users/:id', {
      middleware: [({ params }) => new Response(`middleware saw ${params.id}`)],
      handler: () => new Response('handler'),
    })
    expect(await (await router.fetch('http://x.test/users/9')).text()).toBe('middleware saw 9')
  })

  it('answers 500 when a middleware calls next() twice', async () => {
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          await next()
          return next()
        },
      ],
      onError: (error) => void errors.push(error),
    })
    router.get('/', () => new Response('once'))
    expect((await router.fetch('http://x.test/')).status).toBe(500)
    expect(String(errors[0])).toBe('Error: next() was called more than once')
  })

  it('answers 500 when a middleware neither returns a response nor calls next()', async () => {
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [function forgetful() {}],
      onError: (error) => void errors.push(error),
    })
    router.get('/', () => new Response('never'))
    expect((await router.fetch('http://x.test/')).status).toBe(500)
    expect(String(errors[0])).toBe(
      'Error: Middleware forgetful returned no Response and did not call next()',
    )
  })

  it('stops between steps once the request is aborted, rejecting with the abort reason', async () => {
    let controller = new AbortController()
    let reached: string[] = []
    let router = createRouter({
      middleware: [
        (_context, next) => {
          reached.push('first')
          controller.abort(new Error('client went away'))
          return next()
        },
      ],
    })
    router.get('/', () => {
      reached.push('handler')
      return new Response('late')
    })
    let request = new Request('http://x.test/', { signal: controller.signal })
    await expect(router.fetch(request)).rejects.toThrow('client went away')
    expect(reached).toEqual(['first'])
  })
})
