import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { json } from './response-helpers.ts'
import { createRouter } from './router.ts'
import { validate } from './validate.ts'

const Book = z.object({ title: z.string().min(1), pages: z.number().int().positive() })

function booksRouter(maxBodySize?: number) {
  let bookInput = validate(
    {
      params: z.object({ id: z.coerce.number().int() }),
      search: z.object({ draft: z.enum(['yes', 'no']).default('no') }),
      json: Book,
    },
    { maxBodySize },
  )
  let signupForm = validate({ form: z.object({ email: z.email(), tags: z.array(z.string()) }) })
  let router = createRouter()
  router.post('/books/:id', {
    middleware: [bookInput],
    handler: ({ valid }) =>
      json({ id: valid.params.id, draft: valid.search.draft, book: valid.json }),
  })
  router.post('/signup', { middleware: [signupForm], handler: ({ valid }) => json(valid.form) })
  return router
}

const post = (body: BodyInit, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': type },
  body,
})

describe('validate()', () => {
  it('installs the parsed, typed values as context.valid', async () => {
    let response = await booksRouter().fetch(
      'http://x.test/books/7?draft=yes',
      post(JSON.stringify({ title: 'Dune', pages: 412 })),
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      id: 7,
      draft: 'yes',
      book: { title: 'Dune', pages: 412 },
    })
  })

  it('answers 400 with a JSON list of every problem in every part', async () => {
    let response = await booksRouter().fetch(
      'http://x.test/books/seven?draft=maybe',
      post(JSON.stringify({ title: '', pages: 'many' })),
    )
    expect(response.status).toBe(400)
    let body = (await response.json()) as {
      error: string
      issues: { in: string; path: unknown[] }[]
    }
    expect(body.error).toBe('Invalid request')
    expect(body.issues.map(({ in: part, path }) => `${part}:${path.join('.')}`)).toEqual([
      'params:id',
      'search:draft',
      'json:title',
      'json:pages',
    ])
  })

  it('answers invalid JSON with 400', async () => {
    let response = await booksRouter().fetch('http://x.test/books/1', post('{"title": '))
    expect(response.status).toBe(400)
    let body = (await response.json()) as { error: string; issues: { in: string }[] }
    expect(body.error).toBe('Invalid JSON body')
    expect(body.issues[0]?.in).toBe('json')
  })

  it('answers a wrong content type with 415', async () => {
    let response = await booksRouter().fetch('http://x.test/books/1', post('title=x', 'text/plain'))
    expect(response.status).toBe(415)
  })

  it('answers a body over maxBodySize with 413, declared or not', async () => {
    let router = booksRouter(64)
    let big = JSON.stringify({ title: 'x'.repeat(100), pages: 1 })
    expect((await router.fetch('http://x.test/books/1', post(big))).status).toBe(413)
    let stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big))
        controller.close()
      },
    })
    let streamed = await router.fetch('http://x.test/books/1', {
      ...post(stream),
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
  })

  it('reads urlencoded and multipart forms, repeated keys as arrays', async () => {
    let router = booksRouter()
    let urlencoded = await router.fetch(
      'http://x.test/signup',
      post('email=a%40b.test&tags=x&tags=y', 'application/x-www-form-urlencoded'),
    )
    expect(await urlencoded.json()).toEqual({ email: 'a@b.test', tags: ['x', 'y'] })
    let form = new FormData()
    form.append('email', 'c@d.test')
    form.append('tags', 'z')
    form.append('tags', 'w')
    let multipart = await router.fetch('http://x.test/signup', { method: 'POST', body: form })
    expect(await multipart.json()).toEqual({ email: 'c@d.test', tags: ['z', 'w'] })
  })

  it('refuses json and form together at creation', () => {
    expect(() => validate({ json: Book, form: Book })).toThrow(TypeError)
  })
})
