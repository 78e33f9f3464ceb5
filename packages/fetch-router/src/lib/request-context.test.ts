import { describe, expect, it, vi } from 'vitest'
import { createContextKey, RequestContext } from './request-context.ts'
import { createRouter } from './router.ts'

describe('RequestContext', () => {
  it('exposes request, url, method, params and a mutable copy of the headers', async () => {
    let router = createRouter()
    router.post('/users/:id', (context) => {
      context.headers.set('X-Added', '1')
      return Response.json({
        method: context.method,
        path: context.url.pathname,
        query: context.url.searchParams.get('q'),
        params: context.params,
        header: context.headers.get('X-Test'),
        added: context.headers.get('X-Added'),
        original: context.request.headers.get('X-Added'),
      })
    })
    let response = await router.fetch('http://x.test/users/5?q=hi', {
      method: 'post',
      headers: { 'X-Test': 'yes' },
    })
    expect(await response.json()).toEqual({
      method: 'POST',
      path: '/users/5',
      query: 'hi',
      params: { id: '5' },
      header: 'yes',
      added: '1',
      original: null,
    })
  })

  it('lets router middleware rewrite the URL before matching', async () => {
    let router = createRouter({
      middleware: [
        (context, next) => {
          context.url = new URL('/rewritten', context.url)
          return next()
        },
      ],
    })
    router.get('/rewritten', () => new Response('rewritten'))
    expect(await (await router.fetch('http://x.test/original')).text()).toBe('rewritten')
  })

  it('hands handlers their router, to answer another request through it', async () => {
    let router = createRouter()
    router.get('/books/:id', ({ params }) => new Response(`book ${params.id}`))
    router.get('/latest', ({ router }) => router.fetch('http://x.test/books/7'))
    expect(await (await router.fetch('http://x.test/latest')).text()).toBe('book 7')
  })

  it('throws when a context outside a router asks for its router', () => {
    let context = new RequestContext(new Request('http://x.test/'))
    expect(() => context.router).toThrow('This request context has no router')
  })
})

describe('context keys', () => {
  it('stores values by key identity, shared between middleware and handler', async () => {
    let User = createContextKey<{ name: string }>()
    let Other = createContextKey<{ name: string }>()
    let router = createRouter({
      middleware: [
        (context, next) => {
          context.set(User, { name: 'ada' })
          return next()
        },
      ],
    })
    router.get('/', (context) =>
      Response.json({
        user: context.get(User)?.name,
        other: context.get(Other) ?? null,
        has: [context.has(User), context.has(Other)],
      }),
    )
    let body = await (await router.fetch('http://x.test/')).json()
    expect(body).toEqual({ user: 'ada', other: null, has: [true, false] })
  })

  it('returns the default value until a value is set; has() ignores defaults', () => {
    let Locale = createContextKey('en-US')
    let context = new RequestContext(new Request('http://x.test/'))
    expect(context.get(Locale)).toBe('en-US')
    expect(context.has(Locale)).toBe(false)
    context.set(Locale, 'fr-FR')
    expect(context.get(Locale)).toBe('fr-FR')
  })

  it('accepts a class as its own key', () => {
    let context = new RequestContext(new Request('http://x.test/'))
    let form = new FormData()
    context.set(FormData, form)
    expect(context.get(FormData)).toBe(form)
    expect(context.get(URLSearchParams)).toBeUndefined()
  })
})

describe('context properties', () => {
  it('installs a read-only property with { property }', () => {
    let Session = createContextKey<{ id: string }>()
    let context = new RequestContext(new Request('http://x.test/'))
    context.set(Session, { id: 'a' }, { property: 'session' })
    context.set(Session, { id: 'b' }, { property: 'session' })
    let view = context as unknown as { session: { id: string } }
    expect(view.session).toEqual({ id: 'b' })
    context.set(Session, { id: 'c' })
    expect(view.session).toEqual({ id: 'c' })
    expect(() => {
      view.session = { id: 'forged' }
    }).toThrow(TypeError)
    expect(context.get(Session)).toEqual({ id: 'c' })
    expect(() => context.set(Session, { id: 'd' }, { property: 'other' })).toThrow(
      'This key already installs the context property "session"',
    )
  })

  it('refuses a property that is empty, built in, or owned by another key', () => {
    let First = createContextKey<number>()
    let Second = createContextKey<number>()
    let context = new RequestContext(new Request('http://x.test/'))
    context.set(First, 1, { property: 'count' })
    expect(() => context.set(Second, 2, { property: 'count' })).toThrow(
      'Context property "count" is already installed by another key',
    )
    expect(() => context.set(Second, 2, { property: 'url' })).toThrow(
      'Context property "url" would shadow a built-in property',
    )
    expect(() => context.set(Second, 2, { property: '' })).toThrow(TypeError)
  })

  it('refuses a built-in or assigned name as the first property of a context, storing nothing', () => {
    let Key = createContextKey<number>()
    for (let name of ['url', 'get', 'request', 'toString', 'note']) {
      let context = new RequestContext(new Request('http://x.test/'))
      Object.assign(context, { note: 'set by a handler' })
      expect(() => context.set(Key, 1, { property: name })).toThrow(
        `Context property "${name}" would shadow a built-in property`,
      )
      expect(context.has(Key)).toBe(false)
      // Nothing was claimed: another name still installs.
      context.set(Key, 2, { property: 'count' })
      expect((context as unknown as { count: number }).count).toBe(2)
    }
  })

  it('keeps an installed property out of Object.keys, spreads and JSON', async () => {
    let Session = createContextKey<{ secret: string }>()
    let router = createRouter({
      middleware: [
        (context, next) => {
          context.set(Session, { secret: 's3cr3t' }, { property: 'session' })
          return next()
        },
      ],
    })
    router.get('/', (context) => {
      let view = context as typeof context & { session: { secret: string } }
      return Response.json({
        keys: Object.keys(context),
        spread: 'session' in { ...context },
        logged: JSON.stringify(context),
        read: view.session.secret,
      })
    })
    let body = await (await router.fetch('http://x.test/')).json()
    expect(body.keys).not.toContain('session')
    expect(body.spread).toBe(false)
    expect(body.logged).not.toContain('s3cr3t')
    expect(body.read).toBe('s3cr3t')
  })
})

describe('RequestContext get, set and has', () => {
  it('work destructured, as in Remix: ({ get }) => get(FormData)', async () => {
    let router = createRouter({
      middleware: [
        async ({ request, set }, next) => {
          if (request.method === 'POST') set(FormData, await request.formData())
          return next()
        },
      ],
    })
    router.post('/contact', ({ get, has }) =>
      Response.json({ name: get(FormData)?.get('name'), has: has(FormData) }),
    )
    let response = await router.fetch('http://x.test/contact', {
      method: 'POST',
      body: new URLSearchParams({ name: 'Ada' }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ name: 'Ada', has: true })
  })

  it('stay bound to their own context when taken from it', () => {
    let Count = createContextKey(0)
    let first = new RequestContext(new Request('http://x.test/1'))
    let second = new RequestContext(new Request('http://x.test/2'))
    let { set } = first
    set(Count, 1)
    expect([first.get(Count), second.get(Count)]).toEqual([1, 0])
    expect(first.get).toBe(first.get)
  })

  it('are own properties, as in Remix: assignable, spied on, spread and read through a Proxy', async () => {
    let Name = createContextKey<string>()
    let context = new RequestContext(new Request('http://x.test/'))
    context.set(Name, 'Ada', null)
    expect({ ...context }.get(Name)).toBe('Ada')
    expect(new Proxy(context, {}).get(Name)).toBe('Ada')
    expect(new Proxy(context, {}).has(Name)).toBe(true)
    let spy = vi.spyOn(context, 'get')
    context.get(Name)
    expect(spy).toHaveBeenCalledWith(Name)
    spy.mockRestore()
    context.get = (() => 'replaced') as typeof context.get
    expect(context.get(Name)).toBe('replaced')
    // A middleware that wraps get() for the handler behind it.
    let router = createRouter({
      middleware: [
        (ctx, next) => {
          let get = ctx.get
          ctx.get = ((key: object) => (key === Name ? 'from middleware' : get(key))) as typeof get
          return next()
        },
      ],
    })
    router.get('/', ({ get }) => new Response(get(Name)))
    expect(await (await router.fetch('http://x.test/')).text()).toBe('from middleware')
  })
})
