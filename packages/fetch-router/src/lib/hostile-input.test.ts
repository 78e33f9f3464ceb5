import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { json } from './response-helpers.ts'
import { createRouter } from './router.ts'
import { validate } from './validate.ts'

/** A realistic table: static, params, optional groups, wildcards, mixed segments. */
function apiRouter() {
  let router = createRouter()
  let ok = () => new Response('ok')
  for (let pattern of [
    '/',
    '/users',
    '/users/:user',
    '/users/:user/repos',
    '/repos/:owner/:repo',
    '/repos/:owner/:repo/issues/:number',
    '/repos/:owner/:repo/contents/*path',
    '/repos/:owner/:repo/git/refs/*ref',
    '/gists/:id(/:sha)',
    '/files/:name.:ext',
    '/v:major/status',
    '/search/*rest.json',
  ]) {
    router.get(pattern, ok)
    router.post(pattern, ok)
  }
  return router
}

const pathSegment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '..',
    '.',
    '',
    '%',
    '%2',
    '%ZZ',
    '%2F',
    '%2e%2E',
    '%C3%28',
    '%E0%A4%A',
    '%00',
    'users',
    'repos',
  ),
)

/** Any response but a 5xx, and never an exception or a rejection. */
async function expectClientAnswer(responsePromise: Promise<Response>) {
  let response = await responsePromise
  expect(response.status).toBeGreaterThanOrEqual(200)
  expect(response.status).toBeLessThan(500)
  await response.body?.cancel()
}

describe('hostile URLs', () => {
  it('answers random paths, broken percent-encoding and dot segments with 2xx/3xx/4xx (1000 runs)', async () => {
    let router = apiRouter()
    await fc.assert(
      fc.asyncProperty(
        fc.array(pathSegment, { maxLength: 8 }),
        fc.string({ maxLength: 40 }),
        async (segments, query) => {
          let path = `/${segments.map((segment) => segment.replace(/[?#]/g, '')).join('/')}`
          await expectClientAnswer(router.fetch(`http://x.test${path}?${query.replace(/#/g, '')}`))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('answers very long paths and query strings with 414 or a normal answer', async () => {
    let router = apiRouter()
    for (let length of [1_000, 8_000, 8_193, 100_000]) {
      let path = `/repos/a/b/contents/${'x/'.repeat(length / 2)}`
      let response = await router.fetch(`http://x.test${path}?q=${'y'.repeat(length)}`)
      expect(response.status).toBe(path.length > 8192 ? 414 : 200)
    }
  })

  it('matches adversarial paths against adversarial patterns without backtracking blow-up', async () => {
    let router = createRouter()
    let ok = () => new Response('ok')
    // Patterns that make a naive regex router backtrack: a wildcard followed by text and params.
    router.get('/a/*rest.:ext', ok)
    router.get('/b/*rest/:tail/end', ok)
    router.get('/c/:x.:y', ok)
    router.get('/d(/:a(/:b(/:c(/:d))))/z', ok)
    let adversarial = [
      `/a/${'.'.repeat(8000)}`,
      `/a/${'a.'.repeat(4000)}/`,
      `/b/${'x/'.repeat(4000)}`,
      `/c/${'.'.repeat(8000)}`,
      `/d/${'q/'.repeat(4000)}`,
      `/${'%2e'.repeat(2700)}`,
    ]
    // Hundreds of 8 KB lookups: quadratic matching would take minutes and time the test out.
    for (let round = 0; round < 50; round++) {
      for (let path of adversarial) await expectClientAnswer(router.fetch(`http://x.test${path}`))
    }
  })
})

describe('hostile request bodies for validate()', () => {
  let input = validate(
    { json: z.object({ name: z.string(), tags: z.array(z.string()).max(5) }) },
    { maxBodySize: 4096 },
  )
  let router = createRouter()
  router.post('/things', { middleware: [input], handler: ({ valid }) => json(valid.json) })
  let post = (body: BodyInit, type = 'application/json') =>
    router.fetch('http://x.test/things', {
      method: 'POST',
      headers: { 'Content-Type': type },
      body,
    })

  it('answers any JSON value with 200 when it fits the schema and 400 otherwise (500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        let response = await post(JSON.stringify(value) ?? 'null')
        let fits = z
          .object({ name: z.string(), tags: z.array(z.string()).max(5) })
          .safeParse(value).success
        let size = new TextEncoder().encode(JSON.stringify(value) ?? 'null').length
        expect(response.status).toBe(size > 4096 ? 413 : fits ? 200 : 400)
      }),
      { numRuns: 500 },
    )
  })

  it('answers random bytes sent as JSON with 400 (or 413 when too large)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 6000, size: 'max' }), async (bytes) => {
        let response = await post(bytes)
        expect([400, 413]).toContain(response.status)
      }),
      { numRuns: 200 },
    )
  })

  it('answers a wrong content type with 415 and a huge body with 413', async () => {
    expect((await post('{"name":"x","tags":[]}', 'text/plain')).status).toBe(415)
    expect((await post('{"name":"x","tags":[]}', 'application/x-www-form-urlencoded')).status).toBe(
      415,
    )
    expect((await post(JSON.stringify({ name: 'x'.repeat(10_000), tags: [] }))).status).toBe(413)
  })
})
