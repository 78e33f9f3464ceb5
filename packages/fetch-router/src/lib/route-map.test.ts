import { describe, expect, it } from 'vitest'
import { createHref } from './href.ts'
import { createFormRoutes } from './route-helpers/form.ts'
import {
  createDeleteRoute,
  createGetRoute,
  createHeadRoute,
  createOptionsRoute,
  createPatchRoute,
  createPostRoute,
  createPutRoute,
} from './route-helpers/method.ts'
import { createResourceRoutes } from './route-helpers/resource.ts'
import { createResourcesRoutes } from './route-helpers/resources.ts'
import { Route, route } from './route-map.ts'
import { createRouter } from './router.ts'

function describeRoutes(map: object): Record<string, string> {
  let out: Record<string, string> = {}
  for (let [name, value] of Object.entries(map)) {
    if (value instanceof Route) out[name] = `${value.method} ${value.pattern}`
    else
      for (let [inner, text] of Object.entries(describeRoutes(value)))
        out[`${name}.${inner}`] = text
  }
  return out
}

describe('route()', () => {
  it('builds nested routes from patterns, { method, pattern } and Routes, under a base', () => {
    let routes = route('/app', {
      home: '/',
      login: { method: 'POST', pattern: '/login' },
      search: createGetRoute('search'),
      admin: { users: '/admin/users', audit: { method: 'GET', pattern: 'admin/audit/' } },
    })
    expect(describeRoutes(routes)).toEqual({
      home: 'ANY /app',
      login: 'POST /app/login',
      search: 'GET /app/search',
      'admin.users': 'ANY /app/admin/users',
      'admin.audit': 'GET /app/admin/audit/',
    })
  })

  it('throws a TypeError for a malformed pattern or definition', () => {
    expect(() => route({ bad: '/a(' })).toThrow(TypeError)
    expect(() => route({ bad: 42 as never })).toThrow(
      'Route definition "bad" must be a pattern, { method, pattern } or a map',
    )
  })
})

describe('method helpers', () => {
  it.each([
    [createGetRoute, 'GET'],
    [createHeadRoute, 'HEAD'],
    [createPostRoute, 'POST'],
    [createPutRoute, 'PUT'],
    [createPatchRoute, 'PATCH'],
    [createDeleteRoute, 'DELETE'],
    [createOptionsRoute, 'OPTIONS'],
  ])('%o creates a %s route', (create, method) => {
    expect(create('/x')).toMatchObject({ method, pattern: '/x' })
  })
})

describe('form()', () => {
  it('creates an index GET and an action POST route on one URL', () => {
    expect(describeRoutes(createFormRoutes('/contact'))).toEqual({
      index: 'GET /contact',
      action: 'POST /contact',
    })
  })

  it('takes another form method and other names', () => {
    let routes = createFormRoutes('/settings', {
      formMethod: 'PUT',
      names: { index: 'edit', action: 'save' },
    })
    expect(describeRoutes(routes)).toEqual({ edit: 'GET /settings', save: 'PUT /settings' })
  })
})

describe('resources()', () => {
  it('creates the seven collection routes', () => {
    expect(describeRoutes(createResourcesRoutes('/books'))).toEqual({
      index: 'GET /books',
      new: 'GET /books/new',
      show: 'GET /books/:id',
      create: 'POST /books',
      edit: 'GET /books/:id/edit',
      update: 'PUT /books/:id',
      destroy: 'DELETE /books/:id',
    })
  })

  it('honours only, exclude, param and names', () => {
    let only = createResourcesRoutes('/books', { only: ['show'], param: 'slug' })
    expect(describeRoutes(only)).toEqual({ show: 'GET /books/:slug' })
    let renamed = createResourcesRoutes('/books', {
      exclude: ['new', 'edit', 'index', 'create', 'update'],
      names: { destroy: 'remove' },
    })
    expect(describeRoutes(renamed)).toEqual({ show: 'GET /books/:id', remove: 'DELETE /books/:id' })
  })

  it('refuses only together with exclude', () => {
    expect(() => createResourcesRoutes('/x', { only: ['show'], exclude: ['new'] })).toThrow(
      'Pass either `only` or `exclude`, not both',
    )
  })
})

describe('resource()', () => {
  it('creates the six singleton routes', () => {
    expect(describeRoutes(createResourceRoutes('/profile'))).toEqual({
      new: 'GET /profile/new',
      show: 'GET /profile',
      create: 'POST /profile',
      edit: 'GET /profile/edit',
      update: 'PUT /profile',
      destroy: 'DELETE /profile',
    })
  })
})

describe('Route.href', () => {
  it('fills params, percent-encoding them', () => {
    let show = createGetRoute('/users/:id/files/*path')
    expect(show.href({ id: 'a b', path: 'docs/ré sumé.pdf' })).toBe(
      '/users/a%20b/files/docs/r%C3%A9%20sum%C3%A9.pdf',
    )
    expect(createGetRoute('/tags/:tag').href({ tag: 'a/b?c#d' })).toBe('/tags/a%2Fb%3Fc%23d')
    expect(createGetRoute('/page/:n').href({ n: 2 })).toBe('/page/2')
  })

  it('keeps optional groups whose params are given and drops the others', () => {
    let api = createGetRoute('/api(/v:major(.:minor))/items(.json)')
    expect(api.href()).toBe('/api/items')
    expect(api.href({ major: 2 })).toBe('/api/v2/items')
    expect(api.href({ major: 2, minor: 1 })).toBe('/api/v2.1/items')
    expect(api.href({ minor: 1 })).toBe('/api/items')
  })

  it('appends search params, repeating arrays and skipping null', () => {
    let list = createGetRoute('/books')
    expect(list.href(null, { searchParams: { q: 'a&b', tag: ['x', 'y'], page: null } })).toBe(
      '/books?q=a%26b&tag=x&tag=y',
    )
    expect(list.href(undefined, { searchParams: new URLSearchParams('a=1') })).toBe('/books?a=1')
  })

  it('is available as createHref(pattern, params, options) without a Route', () => {
    expect(createHref('/users/:id', { id: 3 }, { searchParams: { tab: 'x' } })).toBe(
      '/users/3?tab=x',
    )
  })

  it('writes escaped text as text', () => {
    expect(createGetRoute('/AC\\/DC/12\\:30').href()).toBe('/AC%2FDC/12:30')
  })

  it('refuses values that would climb out of the route or name another host', () => {
    let files = createGetRoute('/*path')
    expect(() => files.href({ path: '//evil.test' })).toThrow(/has an empty, "." or ".." segment/)
    expect(() => createGetRoute('/docs/*path').href({ path: '../../logout' })).toThrow(TypeError)
    expect(() => createGetRoute('/users/:id/edit').href({ id: '..' })).toThrow(TypeError)
    expect(files.href({ path: 'a/b.txt' })).toBe('/a/b.txt')
  })

  it.each([
    ['/dl/:name.:ext', { name: 'archive.tar', ext: 'gz' }, '/dl/archive%2Etar.gz'],
    ['/v:major/docs', { major: '1.2' }, '/v1%2E2/docs'],
    ['/api(/v:major(.:minor))/items', { major: '1.5', minor: 'x.y' }, '/api/v1%2E5.x%2Ey/items'],
    ['/users/:id', { id: 'john.doe' }, '/users/john.doe'],
    ['/files/*path.:ext', { path: 'a.b/c.d', ext: 'tar.gz' }, '/files/a.b/c.d.tar%2Egz'],
  ])(
    'writes %s so that its own router matches it back with the same params',
    async (pattern, params, href) => {
      expect(createHref(pattern, params)).toBe(href)
      let router = createRouter()
      router.get(pattern, (context) => Response.json(context.params))
      let response = await router.fetch(`http://x.test${createHref(pattern, params)}`)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual(params)
    },
  )

  it('throws a TypeError for a missing required param', () => {
    let show = createGetRoute('/users/:id')
    expect(() => show.href({} as never)).toThrow(
      'Cannot build an href for "/users/:id": missing param "id"',
    )
    expect(() => createGetRoute('/files/*').href()).toThrow(/missing an unnamed wildcard/)
  })
})

describe('Route.href with baseURL', () => {
  const page = 'https://shop.test/admin/settings'

  it('writes a path-relative reference from the page, as Remix does', () => {
    expect(createGetRoute('/users/:id').href({ id: 123 }, { baseURL: page })).toBe('../users/123')
    expect(createGetRoute('/admin/users/:id').href({ id: 123 }, { baseURL: new URL(page) })).toBe(
      'users/123',
    )
    expect(createHref('/admin/', null, { baseURL: page })).toBe('./')
    expect(createHref('/', null, { baseURL: page })).toBe('../')
    expect(createHref('/admin/settings', null, { baseURL: page })).toBe('settings')
    expect(createHref('/books', null, { baseURL: 'https://shop.test/' })).toBe('books')
  })

  it('resolves against the page to the same pathname and query', () => {
    let bases = [page, 'https://shop.test/', 'https://shop.test/a/b/', 'https://shop.test/x']
    let targets = ['/', '/admin/', '/admin/users/7', '/a/b/c', '/a', '/x/y/']
    for (let base of bases) {
      for (let target of targets) {
        let href = createHref(target as string, null, { baseURL: base, searchParams: { q: '1' } })
        expect(href).not.toMatch(/^\//)
        expect(new URL(href, base).href).toBe(new URL(`${target}?q=1`, base).href)
      }
    }
  })

  it('keeps the query and prefixes ./ where the reference would read as a scheme', () => {
    let base = 'https://shop.test/current'
    expect(createHref('/books', null, { baseURL: base, searchParams: { page: 2 } })).toBe(
      'books?page=2',
    )
    expect(createHref('/docs\\:latest', null, { baseURL: base })).toBe('./docs:latest')
    expect(new URL('./docs:latest', base).pathname).toBe('/docs:latest')
  })

  it('throws a TypeError for a base that is not an absolute URL relative references resolve on', () => {
    expect(() => createHref('/users', null, { baseURL: '/admin/settings' })).toThrow(TypeError)
    expect(() => createHref('/users', null, { baseURL: 'mailto:ada@shop.test' })).toThrow(TypeError)
  })
})
