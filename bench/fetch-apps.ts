import { createRouter as createRemixRouter } from '@remix-run/fetch-router'
import { createRouter } from '@x/fetch-router'
import { Hono } from 'hono'

/** A Fetch API handler, as each framework exposes its app. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/**
 * Requests sent to the small apps in turn (two param routes, a nested param route, a static one),
 * with the body each app must answer.
 */
export const smallAppRequests: readonly { url: string; body: string }[] = [
  { url: 'http://localhost/users/42', body: '42' },
  { url: 'http://localhost/users/42/posts/7', body: '7' },
  { url: 'http://localhost/posts/9/comments', body: '9' },
  { url: 'http://localhost/about', body: 'about' },
]

// The same app is written out for each framework, as its users write it: a handler shared
// between frameworks would let one framework's calls change how V8 optimises another's.

/** The small app on `@x/fetch-router`: ten routes, handlers answering a param or a word. */
export function createOursSmallApp(): FetchHandler {
  let router = createRouter()
  router.get('/', () => new Response('home'))
  router.get('/about', () => new Response('about'))
  router.get('/users', () => new Response('users'))
  router.post('/users', () => new Response('created'))
  router.get('/users/:id', ({ params }) => new Response(params.id))
  router.get('/users/:id/posts', ({ params }) => new Response(params.id))
  router.get('/users/:id/posts/:postId', ({ params }) => new Response(params.postId))
  router.get('/posts', () => new Response('posts'))
  router.get('/posts/:postId', ({ params }) => new Response(params.postId))
  router.get('/posts/:postId/comments', ({ params }) => new Response(params.postId))
  return (request) => router.fetch(request)
}

/** The same app on Hono. */
export function createHonoSmallApp(): FetchHandler {
  let app = new Hono()
  app.get('/', (c) => c.text('home'))
  app.get('/about', (c) => c.text('about'))
  app.get('/users', (c) => c.text('users'))
  app.post('/users', (c) => c.text('created'))
  app.get('/users/:id', (c) => c.text(c.req.param('id')))
  app.get('/users/:id/posts', (c) => c.text(c.req.param('id')))
  app.get('/users/:id/posts/:postId', (c) => c.text(c.req.param('postId')))
  app.get('/posts', (c) => c.text('posts'))
  app.get('/posts/:postId', (c) => c.text(c.req.param('postId')))
  app.get('/posts/:postId/comments', (c) => c.text(c.req.param('postId')))
  return (request) => app.fetch(request)
}

/** The same app on Remix's `@remix-run/fetch-router`. */
export function createRemixSmallApp(): FetchHandler {
  let router = createRemixRouter()
  router.get('/', () => new Response('home'))
  router.get('/about', () => new Response('about'))
  router.get('/users', () => new Response('users'))
  router.post('/users', () => new Response('created'))
  router.get('/users/:id', ({ params }) => new Response(params.id))
  router.get('/users/:id/posts', ({ params }) => new Response(params.id))
  router.get('/users/:id/posts/:postId', ({ params }) => new Response(params.postId))
  router.get('/posts', () => new Response('posts'))
  router.get('/posts/:postId', ({ params }) => new Response(params.postId))
  router.get('/posts/:postId/comments', ({ params }) => new Response(params.postId))
  return (request) => router.fetch(request)
}
