import { describe, expectTypeOf, it } from 'vitest'
import { createResourceRoutes } from './route-helpers/resource.ts'
import { createResourcesRoutes } from './route-helpers/resources.ts'
import { type Route, route } from './route-map.ts'

describe('resources() and resource() types', () => {
  it('type each route with the method and pattern the runtime table gives it', () => {
    let books = createResourcesRoutes('/books', { param: 'slug', exclude: ['new'] })
    expectTypeOf(books.edit).toEqualTypeOf<Route<'GET', '/books/:slug/edit'>>()
    expectTypeOf(books.destroy).toEqualTypeOf<Route<'DELETE', '/books/:slug'>>()
    expectTypeOf(books).not.toHaveProperty('new')
    expectTypeOf(createResourceRoutes('/profile').update).toEqualTypeOf<Route<'PUT', '/profile'>>()
  })
})

describe('route() types', () => {
  it('keeps an escaped slash at the end of the base as text', () => {
    let routes = route('/AC\\/', { show: '/DC' })
    expectTypeOf(routes.show).toEqualTypeOf<Route<'ANY', '/AC\\//DC'>>()
  })
})
