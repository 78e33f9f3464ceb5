import { describe, expect, it } from 'vitest'
import type { Middleware } from './middleware.ts'
import { createGetRoute, createPostRoute } from './route-helpers/method.ts'
import { createResourcesRoutes } from './route-helpers/resources.ts'
import { route } from './route-map.ts'
import { createRouter } from './router.ts'

const text = (body: string) => () => new Response(body)

describe('router.fetch', () => {
  it('accepts a URL string, a URL object or a Request, with RequestInit', async () => {
    let router = createRouter()
    router.post('/echo', async ({ request }) => new Response(await request.text()))
    let fromString = await router.fetch('http://x.test/echo', { method: 'POST', body: 'a' })
    let fromUrl = await router.fetch(new URL('http://x.test/echo'), { method: 'POST', body: 'b' })
    let fromRequest = await router.fetch(
      new Request('http://x.test/echo', { method: 'POST', body: 'c' }),
    )
    expect([await fromString.text(), await fromUrl.text(), await fromRequest.text()]).toEqual([
      'a',
      'b',
      'c',
    ])
  })

  it('works when detached from the router object', async () => {
    let router = createRouter()
    router.get('/', text('home'))
    let { fetch } = router
    expect(await (await fetch('http://x.test/')).text()).toBe('home')
  })

  it('answers 404 Not Found when no route matches', async () => {
    let router = createRouter()
    router.get('/', text('home'))
    let response = await router.fetch('http://x.test/missing')
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('Not Found')
  })

  it('uses defaultHandler for unmatched requests', async () => {
    let router = createRouter({
      defaultHandler: ({ url }) => new Response(`nothing at ${url.pathname}`, { status: 404 }),
    })
    let response = await router.fetch('http://x.test/missing')
    expect(await response.text()).toBe('nothing at /missing')
  })

  it('exposes the router on the context', async () => {
    let router = createRouter()
    router.get('/inner', text('inner'))
    router.get('/outer', ({ router }) => router.fetch('http://x.test/inner'))
    expect(await (await router.fetch('http://x.test/outer')).text()).toBe('inner')
  })
})

describe('verb methods', () => {
  it.each([
    ['get', 'GET'],
    ['post', 'POST'],
    ['put', 'PUT'],
    ['patch', 'PATCH'],
    ['delete', 'DELETE'],
    ['head', 'HEAD'],
    ['options', 'OPTIONS'],
  ] as const)('router.%s answers %s only', async (verb, method) => {
    let router = createRouter()
    router[verb]('/thing', ({ method }) => new Response(null, { headers: { 'X-Method': method } }))
    let response = await router.fetch('http://x.test/thing', { method })
    expect(response.headers.get('X-Method')).toBe(method)
    let other = method === 'PATCH' ? 'PUT' : 'PATCH'
    expect((await router.fetch('http://x.test/thing', { method: other })).status).toBe(405)
  })

  it('router.route registers any method, and ANY answers every method', async () => {
    let router = createRouter()
    router.route('PUT', '/put', text('put'))
    router.route('ANY', '/any', ({ method }) => new Response(method))
    expect(await (await router.fetch('http://x.test/put', { method: 'PUT' })).text()).toBe('put')
    for (let method of ['GET', 'POST', 'DELETE']) {
      let response = await router.fetch('http://x.test/any', { method })
      expect(await response.text()).toBe(method)
    }
  })

  it('accepts a Route as the target and uses its pattern', async () => {
    let router = createRouter()
    let routes = route({ show: { method: 'GET', pattern: '/books/:id' } })
    router.get(routes.show, ({ params }) => new Response(`book ${params.id}`))
    expect(await (await router.fetch('http://x.test/books/7')).text()).toBe('book 7')
  })

  it('prefers the route for the request method over an ANY route on the same pattern', async () => {
    let router = createRouter()
    router.route('ANY', '/x', text('any'))
    router.post('/x', text('post'))
    expect(await (await router.fetch('http://x.test/x', { method: 'POST' })).text()).toBe('post')
    expect(await (await router.fetch('http://x.test/x', { method: 'PUT' })).text()).toBe('any')
  })
})

describe('router.map', () => {
  it('maps a single Route to an action, using the route method', async () => {
    let router = createRouter()
    router.map(createPostRoute('/login'), text('logged in'))
    expect((await router.fetch('http://x.test/login', { method: 'POST' })).status).toBe(200)
    expect((await router.fetch('http://x.test/login')).status).toBe(405)
  })

  it('maps a pattern string to an action for every method', async () => {
    let router = createRouter()
    router.map('/ping', text('pong'))
    expect(await (await router.fetch('http://x.test/ping', { method: 'DELETE' })).text()).toBe(
      'pong',
    )
  })

  it('maps a route map to a controller, one action per route', async () => {
    let router = createRouter()
    let books = createResourcesRoutes('/books', { only: ['index', 'show', 'create'] })
    router.map(books, {
      actions: {
        index: text('all books'),
        show: ({ params }) => new Response(`book ${params.id}`),
        create: { handler: text('created') },
      },
    })
    expect(await (await router.fetch('http://x.test/books')).text()).toBe('all books')
    expect(await (await router.fetch('http://x.test/books/3')).text()).toBe('book 3')
    let created = await router.fetch('http://x.test/books', { method: 'POST' })
    expect(await created.text()).toBe('created')
  })

  it('maps only the top-level routes of a map; nested maps get their own map call', async () => {
    let router = createRouter()
    let routes = route({ home: '/', admin: { dashboard: '/admin' } })
    router.map(routes, { actions: { home: text('home') } })
    router.map(routes.admin, { actions: { dashboard: text('dashboard') } })
    expect(await (await router.fetch('http://x.test/admin')).text()).toBe('dashboard')
  })

  it('throws a TypeError at registration for a missing action', () => {
    let router = createRouter()
    let routes = route({ a: '/a', b: '/b' })
    // @ts-expect-error: the controller lacks action `b`
    expect(() => router.map(routes, { actions: { a: text('a') } })).toThrow(
      new TypeError('Missing action "b" in controller'),
    )
  })

  it('throws a TypeError at registration for an unknown action', () => {
    let router = createRouter()
    let routes = route({ a: '/a' })
    expect(() =>
      // @ts-expect-error: `c` is not a route of the map
      router.map(routes, { actions: { a: text('a'), c: text('c') } }),
    ).toThrow(/Unknown action "c" in controller/)
  })

  it('throws a TypeError when an action is keyed to a nested route map', () => {
    let router = createRouter()
    let routes = route({ a: '/a', nested: { b: '/b' } })
    expect(() =>
      // @ts-expect-error: nested maps take no action
      router.map(routes, { actions: { a: text('a'), nested: text('b') } }),
    ).toThrow(/names a nested route map/)
  })

  it('throws a TypeError for a controller without actions and for a bad action', () => {
    let router = createRouter()
    let routes = route({ a: '/a' })
    // @ts-expect-error: not a controller
    expect(() => router.map(routes, text('a'))).toThrow(TypeError)
    // @ts-expect-error: not an action
    expect(() => router.map(routes, { actions: { a: 42 } })).toThrow(
      /GET|ANY \/a: expected a handler function/,
    )
  })
})

describe('router.mount', () => {
  it('prefixes every route the installer registers, with typed prefix params', async () => {
    let router = createRouter()
    router.mount('/orgs/:org', (org) => {
      org.get('/', ({ params }) => new Response(`org ${params.org}`))
      org.mount('/repos', (repos) => {
        repos.get('/:repo', ({ params }) => new Response(`${params.org}/${params.repo}`))
      })
    })
    expect(await (await router.fetch('http://x.test/orgs/remix')).text()).toBe('org remix')
    let repo = await router.fetch('http://x.test/orgs/remix/repos/router')
    expect(await repo.text()).toBe('remix/router')
  })

  it('prefixes route maps and Routes mapped inside the installer', async () => {
    let router = createRouter()
    let routes = route({ list: createGetRoute('/users') })
    router.mount('/api', (api) => {
      api.map(routes, { actions: { list: text('users') } })
    })
    expect((await router.fetch('http://x.test/users')).status).toBe(404)
    expect(await (await router.fetch('http://x.test/api/users')).text()).toBe('users')
  })
})

describe('registration errors', () => {
  it('throws a TypeError when the same method and pattern are registered twice', () => {
    let router = createRouter()
    router.get('/users/:id', text('a'))
    expect(() => router.get('/users/:id', text('b'))).toThrow(
      new TypeError('Route GET /users/:id is registered twice'),
    )
  })

  it('throws a TypeError when a pattern differs only in param names', () => {
    let router = createRouter()
    router.get('/users/:id', text('a'))
    expect(() => router.get('/users/:userId', text('b'))).toThrow(
      'Route GET /users/:userId matches the same URLs as GET /users/:id, which was registered first',
    )
  })

  it('allows the same pattern for different methods', async () => {
    let router = createRouter()
    router.get('/x', text('get'))
    router.post('/x', text('post'))
    expect(await (await router.fetch('http://x.test/x', { method: 'POST' })).text()).toBe('post')
  })

  it('throws a TypeError for an action that is not a function or { handler }', () => {
    let router = createRouter()
    // @ts-expect-error: not an action
    expect(() => router.get('/x', { middleware: [] })).toThrow(
      'GET /x: expected a handler function or an object with a handler function',
    )
  })

  it('throws a TypeError for middleware that is not a function', () => {
    expect(() => createRouter({ middleware: ['nope' as never] })).toThrow(
      'createRouter: middleware #1 is not a function',
    )
    let router = createRouter()
    expect(() => router.get('/x', { middleware: [null as never], handler: text('x') })).toThrow(
      'GET /x: middleware #1 is not a function',
    )
  })

  it('throws a TypeError for an unsupported method in router.route', () => {
    let router = createRouter()
    expect(() => router.route('TRACE' as never, '/x', text('x'))).toThrow(
      /Unsupported request method "TRACE"/,
    )
  })

  it('throws a TypeError for a bad trailingSlash option', () => {
    expect(() => createRouter({ trailingSlash: 'sometimes' as never })).toThrow(TypeError)
  })
})

describe('a failed registration', () => {
  it('registers no variant of a pattern when one of them clashes', async () => {
    let router = createRouter()
    router.get('/x/y', text('y'))
    expect(() => router.get('/x(/y)', text('x or y'))).toThrow(
      'Route GET /x(/y) matches the same URLs as GET /x/y, which was registered first',
    )
    expect((await router.fetch('http://x.test/x')).status).toBe(404)
    expect(await (await router.fetch('http://x.test/x/y')).text()).toBe('y')
  })

  it('registers no route of a controller when one of them clashes', async () => {
    let router = createRouter()
    router.get('/taken', text('first'))
    let routes = route({ open: createGetRoute('/open'), taken: createGetRoute('/taken') })
    expect(() =>
      router.map(routes, { actions: { open: text('open'), taken: text('second') } }),
    ).toThrow(/Route GET \/taken is registered twice/)
    expect((await router.fetch('http://x.test/open')).status).toBe(404)
    expect(await (await router.fetch('http://x.test/taken')).text()).toBe('first')
  })

  it('registers no route of a controller whose own routes clash with each other', async () => {
    let router = createRouter()
    let routes = route({ one: createGetRoute('/same/:a'), two: createGetRoute('/same/:b') })
    expect(() => router.map(routes, { actions: { one: text('1'), two: text('2') } })).toThrow(
      'Route GET /same/:b matches the same URLs as GET /same/:a, which was registered first',
    )
    expect((await router.fetch('http://x.test/same/1')).status).toBe(404)
  })
})

describe('createRouter options', () => {
  it.each([
    [
      "ignoreCase: 'false'",
      { ignoreCase: 'false' },
      'ignoreCase must be true or false, got "false"',
    ],
    ['maxPathLength: NaN', { maxPathLength: Number.NaN }, /maxPathLength must be .*, got NaN/],
    ['maxPathLength: 0', { maxPathLength: 0 }, /maxPathLength must be .*, got 0/],
    ["defaultHandler: 'x'", { defaultHandler: 'x' }, 'defaultHandler must be a function, got "x"'],
    ['onError: 42', { onError: 42 }, 'onError must be a function, got 42'],
    ["trailingSlash: 'sometimes'", { trailingSlash: 'sometimes' }, /got "sometimes"/],
    ['middleware: null', { middleware: null }, 'middleware must be an array'],
  ])('refuses %s with a TypeError naming the option and the value', (_what, options, message) => {
    expect(() => createRouter(options as never)).toThrow(message)
    expect(() => createRouter(options as never)).toThrow(TypeError)
  })

  it('copies the middleware list: pushing to it later changes nothing', async () => {
    let middleware: Middleware[] = []
    let router = createRouter({ middleware })
    router.get('/', text('home'))
    middleware.push(() => new Response('pushed later'))
    middleware.push('not even a function' as never)
    let response = await router.fetch('http://x.test/')
    expect(await response.text()).toBe('home')
  })
})
