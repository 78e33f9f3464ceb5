import type { InferData, Session } from '@x/session'
import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createController } from './controller.ts'
import { createMiddleware, type Middleware } from './middleware.ts'
import type { Params } from './params.ts'
import { createContextKey, type RequestContext } from './request-context.ts'
import { createGetRoute } from './route-helpers/method.ts'
import { createResourcesRoutes } from './route-helpers/resources.ts'
import { type Route, route } from './route-map.ts'
import { createRouter } from './router.ts'
import { session } from './session-middleware.ts'
import { validate } from './validate.ts'

const ok = () => new Response('ok')

describe('Params', () => {
  it('types each named param of a pattern as a string', () => {
    expectTypeOf<Params<'/users/:id/posts/:postId'>>().toEqualTypeOf<{
      id: string
      postId: string
    }>()
    expectTypeOf<Params<'/files/*path.:ext'>>().toEqualTypeOf<{ path: string; ext: string }>()
    expectTypeOf<Params<'/about'>>().toEqualTypeOf<{}>()
  })

  it('types params inside optional groups as possibly undefined, nested ones too', () => {
    expectTypeOf<Params<'/api(/v:major(.:minor))/:resource'>>().toEqualTypeOf<{
      resource: string
      major: string | undefined
      minor: string | undefined
    }>()
  })

  it('skips unnamed wildcards and escaped characters', () => {
    expectTypeOf<Params<'/assets/*'>>().toEqualTypeOf<{}>()
    expectTypeOf<Params<'/time/12\\:30/:zone'>>().toEqualTypeOf<{ zone: string }>()
  })
})

describe('handler context', () => {
  it('types context.params from the pattern', () => {
    let router = createRouter()
    router.get('/books/:id(/:tab)', ({ params }) => {
      expectTypeOf(params).toEqualTypeOf<{ id: string; tab: string | undefined }>()
      // @ts-expect-error: the pattern has no `slug`
      params.slug
      return ok()
    })
  })

  it('types params from a Route target and from mount prefixes', () => {
    let router = createRouter()
    router.get(createGetRoute('/users/:userId'), ({ params }) => {
      expectTypeOf(params).toEqualTypeOf<{ userId: string }>()
      return ok()
    })
    router.mount('/orgs/:org', (org) => {
      org.get('/repos/:repo', ({ params }) => {
        expectTypeOf(params).toEqualTypeOf<{ org: string; repo: string }>()
        return ok()
      })
    })
  })

  it('refuses a Route of another method for a verb', () => {
    let router = createRouter()
    // @ts-expect-error: a POST route cannot be registered with router.get
    router.get(route({ create: { method: 'POST', pattern: '/x' } }).create, ok)
  })

  it('refuses a handler that does not return a Response', () => {
    let router = createRouter()
    // @ts-expect-error: a handler must return a Response
    router.get('/', () => 'text')
  })
})

describe('context keys', () => {
  it('types get() from the key, with undefined unless the key has a default', () => {
    let User = createContextKey<{ name: string }>()
    let Locale = createContextKey('en')
    let router = createRouter()
    router.get('/', (context) => {
      expectTypeOf(context.get(User)).toEqualTypeOf<{ name: string } | undefined>()
      expectTypeOf(context.get(Locale)).toEqualTypeOf<string>()
      expectTypeOf(context.get(FormData)).toEqualTypeOf<FormData | undefined>()
      context.set(User, { name: 'ada' })
      // @ts-expect-error: the value must match the key's type
      context.set(User, { name: 42 })
      return ok()
    })
  })
})

type User = { id: string }
declare function currentUser(): Middleware<{ user: User }>
declare function requestId(): Middleware<{ requestId: string }>

describe('middleware that provides context properties', () => {
  it('types router middleware properties on every handler', () => {
    let router = createRouter({ middleware: [currentUser(), requestId()] })
    router.get('/me', (context) => {
      expectTypeOf(context.user).toEqualTypeOf<User>()
      expectTypeOf(context.requestId).toEqualTypeOf<string>()
      expectTypeOf(context).toExtend<RequestContext<{}>>()
      return ok()
    })
  })

  it('keeps what a chain stored with createMiddleware provides', () => {
    let chain = createMiddleware(currentUser(), requestId())
    let router = createRouter({ middleware: chain })
    router.get('/', (context) => {
      expectTypeOf(context.user).toEqualTypeOf<User>()
      expectTypeOf(context.requestId).toEqualTypeOf<string>()
      return ok()
    })
  })

  it('types action and controller middleware properties on their handlers only', () => {
    let router = createRouter()
    router.get('/me', {
      middleware: [currentUser()],
      handler: (context) => {
        expectTypeOf(context.user).toEqualTypeOf<User>()
        return ok()
      },
    })
    router.get('/other', (context) => {
      // @ts-expect-error: no middleware provides `user` here
      context.user
      return ok()
    })
    let routes = route({ profile: '/profile/:id' })
    router.map(routes, {
      middleware: [currentUser()],
      actions: {
        profile: (context) => {
          expectTypeOf(context.user).toEqualTypeOf<User>()
          expectTypeOf(context.params).toEqualTypeOf<{ id: string }>()
          return ok()
        },
      },
    })
  })

  it('types validate() results as context.valid', () => {
    let bookInput = validate({
      params: z.object({ id: z.coerce.number() }),
      json: z.object({ title: z.string() }),
    })
    let router = createRouter()
    router.post('/books/:id', {
      middleware: [bookInput],
      handler: ({ valid }) => {
        expectTypeOf(valid).toEqualTypeOf<{
          readonly params: { id: number }
          readonly json: { title: string }
        }>()
        return ok()
      },
    })
  })
})

describe('route maps', () => {
  it('types routes with their method and joined pattern', () => {
    let routes = route('/app', {
      home: '/',
      books: createResourcesRoutes('/books', { only: ['show'] }),
      login: { method: 'POST', pattern: '/login' },
    })
    expectTypeOf(routes.home).toEqualTypeOf<Route<'ANY', '/app'>>()
    expectTypeOf(routes.login).toEqualTypeOf<Route<'POST', '/app/login'>>()
    expectTypeOf(routes.books.show).toEqualTypeOf<Route<'GET', '/app/books/:id'>>()
  })

  it('types href params: required ones must be given, optional ones may be', () => {
    let show = createGetRoute('/books/:id(/:tab)')
    show.href({ id: 1 })
    show.href({ id: '1', tab: 'reviews' }, { searchParams: { page: 2 } })
    // @ts-expect-error: `id` is required
    show.href({ tab: 'reviews' })
    // @ts-expect-error: params are required for this pattern
    show.href()
    createGetRoute('/about').href()
  })

  it('types controller actions from the route map and rejects unknown ones', () => {
    let routes = route({ index: '/', show: '/items/:id' })
    createController(routes, {
      actions: {
        index: ok,
        show: ({ params }) => {
          expectTypeOf(params.id).toEqualTypeOf<string>()
          return ok()
        },
      },
    })
    createController(routes, {
      // @ts-expect-error: `show` is missing
      actions: { index: ok },
    })
  })
})

describe('session middleware', () => {
  it('types context.session from the storage schema', () => {
    let cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })
    let storage = createMemorySessionStorage({
      schema: { values: { userId: z.string() }, flash: { notice: z.string() } },
    })
    let router = createRouter({ middleware: [session(cookie, storage)] })
    router.get('/', (context) => {
      expectTypeOf(context.session).toEqualTypeOf<
        Session<InferData<{ userId: z.ZodString }>, InferData<{ notice: z.ZodString }>>
      >()
      expectTypeOf(context.session.get('userId')).toEqualTypeOf<string | undefined>()
      // @ts-expect-error: userId is a string
      context.session.set('userId', 1)
      return ok()
    })
  })

  it('types context.session as untyped data without a schema', () => {
    let cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })
    let router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
    router.get('/', ({ session }) => {
      expectTypeOf(session.get('anything')).toEqualTypeOf<unknown>()
      return ok()
    })
  })
})

describe('lazy session middleware', () => {
  it('types context.loadSession() from the storage schema, and provides no context.session', () => {
    let cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })
    let storage = createMemorySessionStorage({ schema: { values: { userId: z.string() } } })
    let router = createRouter({ middleware: [session(cookie, storage, { lazy: true })] })
    router.get('/', async (context) => {
      let loaded = await context.loadSession()
      expectTypeOf(loaded.get('userId')).toEqualTypeOf<string | undefined>()
      // @ts-expect-error: userId is a string
      loaded.set('userId', 1)
      // @ts-expect-error: the lazy mode has no synchronous session
      context.session
      return ok()
    })
  })
})
