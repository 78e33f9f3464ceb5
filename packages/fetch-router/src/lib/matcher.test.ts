import { describe, expect, it } from 'vitest'
import { Matcher } from './matcher.ts'
import { createRouter } from './router.ts'
import type { RouterOptions } from './router-options.ts'

/** A router that answers every route with its pattern and the params it captured, as JSON. */
function routerFor(patterns: string[], options?: RouterOptions) {
  let router = createRouter(options)
  for (let pattern of patterns) {
    router.get(pattern, ({ params }) =>
      Response.json({ pattern, params, names: Object.keys(params) }),
    )
  }
  return async (path: string) => {
    let response = await router.fetch(`http://x.test${path}`)
    if (response.status !== 200) return response.status
    return (await response.json()) as { pattern: string; params: object; names: string[] }
  }
}

describe('pattern syntax', () => {
  it('matches static text exactly, with or without a leading slash in the pattern', async () => {
    let match = routerFor(['/about', 'contact/us', '/'])
    expect(await match('/about')).toMatchObject({ pattern: '/about' })
    expect(await match('/contact/us')).toMatchObject({ pattern: 'contact/us' })
    expect(await match('/')).toMatchObject({ pattern: '/' })
    expect(await match('/about/more')).toBe(404)
    expect(await match('/abou')).toBe(404)
  })

  it('captures :params from whole segments, dots included', async () => {
    let match = routerFor(['/users/:id', '/users/:id/posts/:post'])
    expect(await match('/users/john.doe')).toMatchObject({ params: { id: 'john.doe' } })
    expect(await match('/users/1/posts/2')).toMatchObject({ params: { id: '1', post: '2' } })
    expect(await match('/users/')).toBe(404)
  })

  it('captures params that share a segment with text, stopping at "."', async () => {
    let match = routerFor(['/files/:name.:ext', '/v:major'])
    expect(await match('/files/report.pdf')).toMatchObject({
      params: { name: 'report', ext: 'pdf' },
    })
    expect(await match('/v2')).toMatchObject({ params: { major: '2' } })
    expect(await match('/files/archive.tar.gz')).toBe(404)
  })

  it('captures named wildcards across segments and skips unnamed ones', async () => {
    let match = routerFor(['/files/*path', '/assets/*', '/docs/*slug/edit', '/dl/*file.:ext'])
    expect(await match('/files/a/b/c.txt')).toMatchObject({ params: { path: 'a/b/c.txt' } })
    expect(await match('/files/')).toMatchObject({ params: { path: '' } })
    expect(await match('/assets/img/logo.png')).toMatchObject({ params: {} })
    expect(await match('/docs/guide/intro/edit')).toMatchObject({ params: { slug: 'guide/intro' } })
    expect(await match('/dl/a/archive.tar.gz')).toMatchObject({
      params: { file: 'a/archive.tar', ext: 'gz' },
    })
    expect(await match('/files')).toBe(404)
  })

  it('makes ( … ) groups optional, nested ones too', async () => {
    let match = routerFor(['/api(/v:major(.:minor))/status', '/blog/:slug(.html)'])
    expect(await match('/api/status')).toMatchObject({ params: {}, names: ['major', 'minor'] })
    expect(await match('/api/v2/status')).toMatchObject({ params: { major: '2' } })
    expect(await match('/api/v2.1/status')).toMatchObject({ params: { major: '2', minor: '1' } })
    expect(await match('/blog/hello.html')).toMatchObject({ params: { slug: 'hello' } })
    expect(await match('/blog/hello')).toMatchObject({ params: { slug: 'hello' } })
  })

  it('treats \\-escaped characters as text', async () => {
    let match = routerFor([
      '/time/12\\:30',
      '/calc/2\\*3',
      '/wiki/Mercury_\\(planet\\)',
      '/AC\\/DC',
    ])
    expect(await match('/time/12:30')).toMatchObject({ params: {} })
    expect(await match('/calc/2*3')).toMatchObject({ params: {} })
    expect(await match('/wiki/Mercury_(planet)')).toMatchObject({ params: {} })
    expect(await match('/AC%2FDC')).toMatchObject({ pattern: '/AC\\/DC' })
    expect(await match('/AC/DC')).toBe(404)
  })

  it('percent-decodes params and matches encoded or decoded static text', async () => {
    let match = routerFor(['/tags/:tag', '/café', '/files/*path'])
    expect(await match('/tags/hello%20world')).toMatchObject({ params: { tag: 'hello world' } })
    expect(await match('/tags/a%2Fb')).toMatchObject({ params: { tag: 'a/b' } })
    expect(await match('/caf%C3%A9')).toMatchObject({ pattern: '/café' })
    expect(await match('/caf%c3%a9')).toMatchObject({ pattern: '/café' })
    expect(await match('/files/a%20b/c')).toMatchObject({ params: { path: 'a b/c' } })
  })

  it('matches encoded static text only where it encodes data, so path checks cannot be bypassed', async () => {
    let match = routerFor(['/admin/users', '/files/:name'])
    expect(await match('/%61dmin/users')).toBe(404)
    expect(await match('/files/a%2Eb')).toMatchObject({ params: { name: 'a.b' } })
  })

  it('accepts optional groups whose variants differ only in param names, the first one winning', async () => {
    let match = routerFor(['/archive(/:year)(/:month)'])
    expect(await match('/archive')).toMatchObject({ params: {} })
    expect(await match('/archive/2024')).toMatchObject({ params: { year: '2024' } })
    expect(await match('/archive/2024/05')).toMatchObject({ params: { year: '2024', month: '05' } })
  })
})

describe('pattern syntax errors', () => {
  it.each([
    ['/users/:', /":" must be followed by a param name at index 7/],
    ['/a(b', /an optional group is never closed at index 2/],
    ['/a)b', /"\)" closes no optional group at index 2/],
    ['/a()', /an optional group is empty at index 2/],
    ['/a\\', /a trailing "\\" escapes nothing/],
    ['/*a/*b', /a pattern may hold one wildcard/],
    ['/:a-:b', /param ":a" must be followed by "\/", "." or the end of the pattern \(at index 1\)/],
    // A wildcard followed by anything else would compete with it for the same characters.
    ['/d/*file-:x', /wildcard "\*file" must be followed by "\/", "." or the end .*index 3\)/],
    ['/d/*:id', /wildcard "\*" must be followed by "\/", "." or the end .*index 3\)/],
    ['/d/x(/*rest)-y', /wildcard "\*rest" must be followed by "\/", "." or the end .*index 6\)/],
    ['/files/*1', /wildcard "\*" must be followed by "\/", "." or the end .*index 7\)/],
    ['/search?q', /"\?" is not allowed in a pathname pattern/],
    ['/100%', /malformed percent-encoding/],
  ])('rejects %s with a TypeError naming the problem', (pattern, message) => {
    let router = createRouter()
    expect(() => router.get(pattern, () => new Response())).toThrow(message)
    expect(() => router.get(pattern, () => new Response())).toThrow(TypeError)
  })
})

describe('ranking', () => {
  it('prefers static text over params over wildcards, whatever the registration order', async () => {
    let match = routerFor(['/users/*rest', '/users/:id', '/users/new'])
    expect(await match('/users/new')).toMatchObject({ pattern: '/users/new' })
    expect(await match('/users/42')).toMatchObject({ pattern: '/users/:id' })
    expect(await match('/users/42/posts')).toMatchObject({ pattern: '/users/*rest' })
  })

  it('decides by the earliest difference, left to right', async () => {
    let match = routerFor(['/:a/static', '/static/:b', '/v:x', '/:y'])
    expect(await match('/static/static')).toMatchObject({ pattern: '/static/:b' })
    expect(await match('/v1')).toMatchObject({ pattern: '/v:x' })
    expect(await match('/w1')).toMatchObject({ pattern: '/:y' })
  })

  it('falls back to a less specific route when the more specific branch dead-ends', async () => {
    let match = routerFor(['/a/b/c', '/a/:x/d', '/*rest'])
    expect(await match('/a/b/d')).toMatchObject({ pattern: '/a/:x/d', params: { x: 'b' } })
    expect(await match('/a/b/e')).toMatchObject({ pattern: '/*rest', params: { rest: 'a/b/e' } })
  })

  it('prefers a wildcard with more text after it', async () => {
    let match = routerFor(['/files/*path', '/files/*path.:ext'])
    expect(await match('/files/a/b.txt')).toMatchObject({ pattern: '/files/*path.:ext' })
    expect(await match('/files/a/b')).toMatchObject({ pattern: '/files/*path' })
  })
})

describe('trailingSlash and ignoreCase options', () => {
  it("'exact' (default) treats /a and /a/ as different URLs", async () => {
    let match = routerFor(['/about', '/list/'])
    expect(await match('/about/')).toBe(404)
    expect(await match('/list')).toBe(404)
    expect(await match('/list/')).toMatchObject({ pattern: '/list/' })
  })

  it("'ignore' matches with or without the trailing slash", async () => {
    let match = routerFor(['/about', '/list/'], { trailingSlash: 'ignore' })
    expect(await match('/about/')).toMatchObject({ pattern: '/about' })
    expect(await match('/list')).toMatchObject({ pattern: '/list/' })
    expect(await match('/')).toBe(404)
  })

  it("'ignore' still lets a wildcard match an empty rest after the slash", async () => {
    let match = routerFor(['/files/*path'], { trailingSlash: 'ignore' })
    expect(await match('/files/')).toMatchObject({ params: { path: '' } })
  })

  it("'redirect' never sends the client to another host", async () => {
    let router = createRouter({ trailingSlash: 'redirect' })
    router.get('/*path/edit', () => new Response('edit'))
    for (let path of ['//evil.test/edit/', '/\\evil.test/edit/']) {
      let response = await router.fetch(`http://x.test${path}`)
      expect(response.status).toBe(308)
      expect(new URL(response.headers.get('Location') as string).host).toBe('x.test')
    }
  })

  it("'redirect' answers 308 to the URL that matches, keeping the query", async () => {
    let router = createRouter({ trailingSlash: 'redirect' })
    router.get('/about', () => new Response('about'))
    router.post('/list/', () => new Response('list'))
    let response = await router.fetch('http://x.test/about/?a=1')
    expect(response.status).toBe(308)
    expect(response.headers.get('Location')).toBe('http://x.test/about?a=1')
    let post = await router.fetch('http://x.test/list', { method: 'POST' })
    expect(post.headers.get('Location')).toBe('http://x.test/list/')
    expect((await router.fetch('http://x.test/other/')).status).toBe(404)
  })

  it('ignoreCase matches static text in any case and keeps the case of params', async () => {
    let match = routerFor(['/Users/:id', '/v:Major'], { ignoreCase: true })
    expect(await match('/users/ABC')).toMatchObject({ params: { id: 'ABC' } })
    expect(await match('/V2')).toMatchObject({ params: { Major: '2' } })
    let exact = routerFor(['/Users/:id'])
    expect(await exact('/users/ABC')).toBe(404)
  })
})

describe('scale', () => {
  it('routes correctly among thousands of routes', async () => {
    let router = createRouter()
    for (let index = 0; index < 5000; index++) {
      router.get(
        `/r${index}/:id/items/:item`,
        ({ params }) => new Response(`${index}:${params.id}:${params.item}`),
      )
    }
    let response = await router.fetch('http://x.test/r4321/u/items/9')
    expect(await response.text()).toBe('4321:u:9')
    expect((await router.fetch('http://x.test/r5000/u/items/9')).status).toBe(404)
  })
})

describe('nodes with many children', () => {
  it('finds static siblings that share their first characters, and misses near ones', async () => {
    let patterns = Array.from({ length: 300 }, (_, index) => `/s/s${index}`)
    let match = routerFor([...patterns, '/s/:other', '/s//empty'])
    expect(await match('/s/s299')).toMatchObject({ pattern: '/s/s299' })
    expect(await match('/s/s29')).toMatchObject({ pattern: '/s/s29' })
    expect(await match('/s/s2999')).toMatchObject({ pattern: '/s/:other' })
    expect(await match('/s//empty')).toMatchObject({ pattern: '/s//empty' })
    expect(await match('/s/s1/more')).toBe(404)
  })

  it('ranks params that share a segment with text as with few children, whatever their number', async () => {
    let fillers = Array.from({ length: 40 }, (_, index) => `/f/x${index}-:filler`)
    let match = routerFor([
      ...fillers,
      '/f/*rest',
      '/f/:id',
      '/f/v:major',
      '/f/v1-:id',
      '/f/:name.json',
      '/f/:name.v1.:ext',
      '/f/:a.:b',
      '/f/v*tail',
      '/f/*doc.md',
    ])
    expect(await match('/f/v1-7')).toMatchObject({ pattern: '/f/v1-:id', params: { id: '7' } })
    expect(await match('/f/v2')).toMatchObject({ pattern: '/f/v:major' })
    expect(await match('/f/report.json')).toMatchObject({ pattern: '/f/:name.json' })
    expect(await match('/f/a.v1.zip')).toMatchObject({ params: { name: 'a', ext: 'zip' } })
    expect(await match('/f/a.v2')).toMatchObject({ pattern: '/f/:a.:b' })
    expect(await match('/f/x39-z')).toMatchObject({ pattern: '/f/x39-:filler' })
    expect(await match('/f/plain')).toMatchObject({ pattern: '/f/:id' })
    expect(await match('/f/v/deep')).toMatchObject({ pattern: '/f/v*tail' })
    expect(await match('/f/w/deep')).toMatchObject({ pattern: '/f/*rest' })
    expect(await match('/f/w/guide.md')).toMatchObject({ params: { doc: 'w/guide' } })
  })

  it('matches thousands of patterns that differ only in text beside a param or a wildcard', async () => {
    let patterns = Array.from({ length: 2000 }, (_, index) => [
      `/a/v${index}-:id`,
      `/b/:id.v${index}`,
      `/c/:id.v${index}.:ext`,
      `/d/*path.v${index}`,
      `/e/:a.:b.v${index}`,
    ])
    let match = routerFor(patterns.flat(), { ignoreCase: true })
    expect(await match('/a/V1999-x')).toMatchObject({
      pattern: '/a/v1999-:id',
      params: { id: 'x' },
    })
    expect(await match('/b/x.v7')).toMatchObject({ pattern: '/b/:id.v7' })
    expect(await match('/c/x.v12.zip')).toMatchObject({ params: { id: 'x', ext: 'zip' } })
    expect(await match('/b/x.y.v7')).toBe(404)
    expect(await match('/b/.v7')).toBe(404)
    expect(await match('/d/a/b.V1234')).toMatchObject({ params: { path: 'a/b' } })
    expect(await match('/d/a/b.v1234x')).toBe(404)
    expect(await match('/e/x.y.v5')).toMatchObject({ params: { a: 'x', b: 'y' } })
  })
})

describe('paths that a static route matches whole', () => {
  it('fall back to a route with params when the static one lacks the method', async () => {
    let router = createRouter()
    router.post('/users/new', () => new Response('created'))
    router.get('/users/:id', ({ params }) => new Response(`user ${params.id}`))
    let response = await router.fetch('http://x.test/users/new')
    expect(await response.text()).toBe('user new')
    let head = await router.fetch('http://x.test/users/new', { method: 'HEAD' })
    expect(head.status).toBe(200)
  })

  it('match in any case, with or without the trailing slash, or percent-encoded, as the options say', async () => {
    let match = routerFor(['/About/Team', '/Café'], {
      ignoreCase: true,
      trailingSlash: 'ignore',
    })
    expect(await match('/about/TEAM/')).toMatchObject({ pattern: '/About/Team' })
    expect(await match('/CAF%C3%A9')).toMatchObject({ params: {} })
    expect(await match('/about')).toBe(404)
  })
})

describe('Matcher', () => {
  it('answers a lookup correctly when another lookup runs in the middle of it', () => {
    let matcher = new Matcher<string>()
    matcher.add('GET', '/users/:id/posts/:post', 'post')
    matcher.add('POST', '/users/:id/posts/:post', 'create post')
    matcher.add('GET', '/files/*path', 'file')
    let inner: unknown
    // The method list is read while the outer lookup stands at its leaf: a lookup started there
    // is nested in the outer one, as a lookup from async or reentrant code would be.
    let methods = ['POST']
    Object.defineProperty(methods, 0, {
      get() {
        inner ??= matcher.find('/files/a/b.txt', ['GET'])
        return 'POST'
      },
    })
    expect(matcher.find('/users/1/posts/2', methods)).toEqual({
      data: 'create post',
      params: { id: '1', post: '2' },
    })
    expect(inner).toEqual({ data: 'file', params: { path: 'a/b.txt' } })
    expect(matcher.methodsFor('/users/1/posts/2')).toEqual(new Set(['GET', 'POST']))
  })
})
