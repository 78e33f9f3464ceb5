import type { SessionStorage } from '@x/session'
import { createCookie } from '@x/session/cookie'
import { createCookieSessionStorage } from '@x/session/cookie-storage'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type CsrfOptions, csrf, csrfSecretSchema } from './csrf.ts'
import type { Middleware } from './middleware.ts'
import { createRouter } from './router.ts'
import { session } from './session-middleware.ts'
import { validate } from './validate.ts'

const secret = 'a-test-secret-that-is-32-chars-long!'
const cookie = createCookie('sid', { secrets: [secret] })
const encryptedCookie = createCookie('sid', { secrets: [secret], encrypted: true })

/**
 * An app with a form page that prints a token, a login that regenerates the id, and a write that
 * counts the requests that reached it.
 */
function app(
  storage: SessionStorage = createMemorySessionStorage(),
  options?: CsrfOptions,
  sessionCookie = cookie,
  before: Middleware[] = [],
) {
  let writes = { count: 0 }
  let router = createRouter({
    middleware: [...before, session(sessionCookie, storage), csrf(options)],
  })
  router.get('/form', ({ csrfToken }) => new Response(csrfToken()))
  router.get('/tokens', ({ csrfToken }) => Response.json([csrfToken(), csrfToken()]))
  router.post('/login', ({ session }) => {
    session.regenerateId()
    session.set('user', 'ada')
    return new Response('signed in')
  })
  router.route('ANY', '/write', async ({ request, session }) => {
    writes.count++
    session.set('written', true)
    return new Response(`wrote ${await request.text()}`)
  })
  return { router, writes }
}

/** A body made of `chunks`, counting how many of them a reader pulled. */
function countedBody(chunks: string[]) {
  let pulled = { count: 0 }
  let encoder = new TextEncoder()
  let stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let chunk = chunks[pulled.count]
        if (chunk === undefined) return controller.close()
        pulled.count++
        controller.enqueue(encoder.encode(chunk))
      },
    },
    // Nothing is pulled before a reader asks.
    { highWaterMark: 0 },
  )
  return { stream, pulled }
}

/** A POST whose body is `stream`, of Content-Type `type`. */
function streamed(stream: ReadableStream<Uint8Array>, type: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': type },
    body: stream,
    duplex: 'half',
  } as RequestInit
}

/** A browser-like visitor: keeps the session cookie between requests. */
function visitor(router: ReturnType<typeof createRouter>) {
  let jar: string | undefined
  let send = async (path: string, init: RequestInit = {}) => {
    let headers = new Headers(init.headers)
    if (jar) headers.set('Cookie', jar)
    let response = await router.fetch(new Request(`http://app.test${path}`, { ...init, headers }))
    let setCookie = response.headers.get('Set-Cookie')
    if (setCookie) jar = setCookie.split(';')[0]
    return response
  }
  let token = async () => (await send('/form')).text()
  let post = (path: string, fields: Record<string, string>) =>
    send(path, { method: 'POST', body: new URLSearchParams(fields) })
  return { send, token, post, cookie: () => jar }
}

describe('csrf() tokens', () => {
  it('gives a differently masked token at every call, 128 hex digits, and every one verifies', async () => {
    let { router } = app()
    let user = visitor(router)
    let [first, second] = (await (await user.send('/tokens')).json()) as [string, string]
    expect(first).toMatch(/^[0-9a-f]{128}$/)
    expect(second).not.toBe(first)
    expect((await user.post('/write', { _csrf: first })).status).toBe(200)
    expect((await user.post('/write', { _csrf: second })).status).toBe(200)
  })

  it('refuses an unsafe request without a token with 403, before the handler, changing nothing', async () => {
    let { router, writes } = app()
    let user = visitor(router)
    await user.token()
    let before = user.cookie()
    for (let method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      let response = await user.send('/write', { method, body: 'x=1' })
      expect(response.status).toBe(403)
      expect(await response.text()).toBe('Forbidden: missing CSRF token')
      expect(response.headers.get('Set-Cookie')).toBeNull()
    }
    expect(writes.count).toBe(0)
    expect(user.cookie()).toBe(before)
  })

  it('refuses a wrong, malformed or unmasked token with 403', async () => {
    let { router, writes } = app()
    let user = visitor(router)
    let token = await user.token()
    let flipped = `${token.slice(0, 127)}${token[127] === '0' ? '1' : '0'}`
    for (let wrong of [flipped, 'abc', token.slice(0, 64), `${token}00`, 'zz'.repeat(64)]) {
      let response = await user.post('/write', { _csrf: wrong })
      expect(response.status).toBe(403)
      expect(await response.text()).toBe('Forbidden: invalid CSRF token')
    }
    expect(writes.count).toBe(0)
  })

  it("refuses another session's token, and any token for a visitor without a session", async () => {
    let { router, writes } = app()
    let victim = visitor(router)
    await victim.token()
    let attackerToken = await visitor(router).token()
    expect((await victim.post('/write', { _csrf: attackerToken })).status).toBe(403)
    expect((await visitor(router).post('/write', { _csrf: attackerToken })).status).toBe(403)
    expect(writes.count).toBe(0)
  })

  it.each([
    ['memory storage', () => createMemorySessionStorage(), cookie],
    ['encrypted cookie storage', () => createCookieSessionStorage(), encryptedCookie],
  ])(
    'with %s, refuses a token from before login once the id was regenerated, and accepts a new one',
    async (_, storage, sessionCookie) => {
      let { router, writes } = app(storage(), undefined, sessionCookie)
      let user = visitor(router)
      let beforeLogin = await user.token()
      expect((await user.post('/login', { _csrf: beforeLogin })).status).toBe(200)
      let replayed = await user.post('/write', { _csrf: beforeLogin })
      expect(replayed.status).toBe(403)
      expect(await replayed.text()).toBe('Forbidden: invalid CSRF token')
      let afterLogin = await user.token()
      expect((await user.post('/write', { _csrf: afterLogin })).status).toBe(200)
      expect(writes.count).toBe(1)
    },
  )

  it('reads the token from the X-CSRF-Token header, for fetch() calls with any body', async () => {
    let { router } = app()
    let user = visitor(router)
    let token = await user.token()
    let response = await user.send('/write', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/json' },
      body: '{"a":1}',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('wrote {"a":1}')
  })
})

describe('csrf() reading the body', () => {
  it('leaves the form body whole for the handler and for validate()', async () => {
    let storage = createMemorySessionStorage()
    let router = createRouter({ middleware: [session(cookie, storage), csrf()] })
    router.get('/form', ({ csrfToken }) => new Response(csrfToken()))
    let form = validate({ form: z.object({ title: z.string(), _csrf: z.string() }) })
    router.post('/validated', {
      middleware: [form],
      handler: ({ valid }) => new Response(valid.form.title),
    })
    router.post('/raw', async ({ request }) => {
      let fields = await request.formData()
      return new Response(`${fields.get('title')} ${(fields.get('file') as File).size}`)
    })
    let user = visitor(router)
    let token = await user.token()
    expect(await (await user.post('/validated', { title: 'Hello', _csrf: token })).text()).toBe(
      'Hello',
    )
    let multipart = new FormData()
    multipart.set('title', 'Upload')
    multipart.set('_csrf', token)
    multipart.set('file', new File(['x'.repeat(1000)], 'a.txt'))
    let response = await user.send('/raw', { method: 'POST', body: multipart })
    expect(await response.text()).toBe('Upload 1000')
  })

  it('answers 413 when the token field has not ended within maxBodySize bytes, and 403 for a body that is not a form', async () => {
    let { router, writes } = app(undefined, { maxBodySize: 1024 })
    let user = visitor(router)
    let token = await user.token()
    let late = await user.post('/write', { pad: 'x'.repeat(2000), _csrf: token })
    expect(late.status).toBe(413)
    expect(await late.text()).toContain('within the first 1024 bytes')
    // A token field first lets a larger body through, whole for the handler.
    let early = await user.post('/write', { _csrf: token, pad: 'x'.repeat(2000) })
    expect(early.status).toBe(200)
    expect(await early.text()).toBe(`wrote _csrf=${token}&pad=${'x'.repeat(2000)}`)
    expect(writes.count).toBe(1)
    let broken = await user.send('/write', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=nope' },
      body: `_csrf=${token}`,
    })
    expect(broken.status).toBe(403)
  })

  it('refuses a session that holds no secret at once, without reading a byte of the body', async () => {
    let { router, writes } = app()
    let user = visitor(router)
    expect((await user.post('/login', {})).status).toBe(403)
    for (let type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=b']) {
      let body = countedBody(['_csrf=', 'a'.repeat(128)])
      let response = await user.send('/write', streamed(body.stream, type))
      expect(response.status).toBe(403)
      expect(await response.text()).toBe('Forbidden: invalid CSRF token')
      expect(body.pulled.count).toBe(0)
    }
    expect(writes.count).toBe(0)
  })

  it.each([
    ['application/x-www-form-urlencoded', (token: string) => `_csrf=${token}&file=`],
    [
      'multipart/form-data; boundary=b',
      (token: string) =>
        `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n`,
    ],
  ])('stops reading a %s body at the end of the token field', async (type, head) => {
    let { router } = app()
    router.post('/unread', () => new Response('not read'))
    let user = visitor(router)
    let token = await user.token()
    let rest = Array.from({ length: 50 }, () => 'x'.repeat(1000))
    let unread = countedBody([head(token), ...rest])
    expect((await user.send('/unread', streamed(unread.stream, type))).status).toBe(200)
    // The chunk with the token, and at most the one a cloned body buffers ahead: not 51.
    expect(unread.pulled.count).toBeLessThanOrEqual(2)
    // The handler still gets the whole body.
    let read = countedBody([head(token), ...rest, type.startsWith('multipart') ? '\r\n--b--' : ''])
    let response = await user.send('/write', streamed(read.stream, type))
    expect(await response.text()).toContain('x'.repeat(50_000))
  })
})

describe('csrf() finding the token field', () => {
  it.each([
    ['application/x-www-form-urlencoded', (token: string) => `a=1&%5Fcsrf=${token}&b=2`],
    [
      'multipart/form-data; boundary=b',
      (token: string) =>
        `--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n--\r\n--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--b--\r\n`,
    ],
  ])('finds the token in a %s body sent one byte at a time', async (type, body) => {
    let { router, writes } = app()
    let user = visitor(router)
    let token = await user.token()
    let bytes = countedBody([...body(token)])
    expect((await user.send('/write', streamed(bytes.stream, type))).status).toBe(200)
    expect(writes.count).toBe(1)
  })

  it('finds the token field among the first 1000 parts of a multipart form, not after', async () => {
    let { router, writes } = app()
    let user = visitor(router)
    let token = await user.token()
    let form = (before: number) => {
      let form = new FormData()
      for (let index = 0; index < before; index++) form.append('tag', '')
      form.append('_csrf', token)
      return form
    }
    expect((await user.send('/write', { method: 'POST', body: form(999) })).status).toBe(200)
    let late = await user.send('/write', { method: 'POST', body: form(1000) })
    expect(late.status).toBe(403)
    expect(await late.text()).toBe('Forbidden: missing CSRF token')
    expect(writes.count).toBe(1)
  })

  it('finds the first token field as the form standards define it: encoded names, unquoted names, a preamble', async () => {
    let { router, writes } = app()
    let user = visitor(router)
    let token = await user.token()
    let form = (body: string) =>
      user.send('/write', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      })
    expect((await form(`a=1&b=2&%5Fcsrf=${token}`)).status).toBe(200)
    expect((await form(`_csrf=&_csrf=${token}`)).status).toBe(403)
    expect((await form(`_csrf=${'0'.repeat(128)}&_csrf=${token}`)).status).toBe(403)
    let multipart = (name: string, extra = '') =>
      user.send('/write', {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary="b b"' },
        body: `preamble\r\n--b b\r\nContent-Disposition: form-data; name=${name}${extra}\r\n\r\n${token}\r\n--b b--\r\n`,
      })
    expect((await multipart('"_csrf"')).status).toBe(200)
    expect((await multipart('_csrf')).status).toBe(200)
    expect((await multipart('"_csrf"', '; filename="token.txt"')).status).toBe(403)
    expect(writes.count).toBe(3)
  })
})

describe('csrf() options and wiring', () => {
  it.each([
    [
      { maxBodySize: Number.NaN },
      'maxBodySize must be a positive integer number of bytes, got NaN',
    ],
    [
      { maxBodySize: '1mb' as never },
      'maxBodySize must be a positive integer number of bytes, got "1mb"',
    ],
    [{ maxBodySize: Number.POSITIVE_INFINITY }, 'got Infinity'],
    [{ maxBodySize: -1 }, 'got -1'],
    [{ maxBodySize: 0 }, 'got 0'],
    [{ maxBodySize: 1.5 }, 'got 1.5'],
    [{ headerName: 'X CSRF' }, 'headerName "X CSRF" is not a header name'],
    [{ headerName: 'X-CSRF-Token:' }, 'headerName "X-CSRF-Token:" is not a header name'],
  ])('refuses %j with a TypeError at creation', (options, message) => {
    expect(() => csrf(options)).toThrow(TypeError)
    expect(() => csrf(options)).toThrow(message)
  })

  it('asks no token of GET, HEAD and OPTIONS, nor of exempt routes', async () => {
    let { router, writes } = app(undefined, { exempt: ['/write'] })
    let stranger = visitor(router)
    for (let method of ['GET', 'HEAD', 'OPTIONS', 'POST']) {
      expect((await stranger.send('/write', { method })).status).toBe(200)
    }
    expect(writes.count).toBe(4)
  })

  it('asks a token of a POST overridden to GET', async () => {
    let override: Middleware = (context, next) => {
      if (context.url.searchParams.get('_method') === 'GET') context.method = 'GET'
      return next()
    }
    let { router, writes } = app(undefined, undefined, cookie, [override])
    let user = visitor(router)
    let token = await user.token()
    expect((await user.post('/write?_method=GET', {})).status).toBe(403)
    expect((await user.post('/write?_method=GET', { _csrf: token })).status).toBe(200)
    expect(writes.count).toBe(1)
  })

  it('stores its secret under a session schema that declares it, and names the key if not', async () => {
    let typed = createMemorySessionStorage({
      schema: { values: { csrf: csrfSecretSchema, user: z.string(), written: z.boolean() } },
    })
    let { router } = app(typed)
    let user = visitor(router)
    expect((await user.post('/login', { _csrf: await user.token() })).status).toBe(200)

    let errors: unknown[] = []
    let strict = createMemorySessionStorage({ schema: { values: { user: z.string() } } })
    let router2 = createRouter({
      middleware: [session(cookie, strict), csrf()],
      onError: (error) => {
        errors.push(error)
      },
    })
    router2.get('/form', ({ csrfToken }) => new Response(csrfToken()))
    expect((await router2.fetch('http://app.test/form')).status).toBe(500)
    expect(errors[0]).toBeInstanceOf(TypeError)
    expect(String(errors[0])).toContain('{ csrf: csrfSecretSchema }')
  })

  it('loads a lazy session to verify the token', async () => {
    let storage = createMemorySessionStorage()
    let router = createRouter({ middleware: [session(cookie, storage, { lazy: true }), csrf()] })
    router.get('/form', async ({ loadSession, csrfToken }) => {
      await loadSession()
      return new Response(csrfToken())
    })
    router.post('/write', () => new Response('ok'))
    let user = visitor(router)
    let token = await user.token()
    expect((await user.post('/write', {})).status).toBe(403)
    expect((await user.post('/write', { _csrf: token })).status).toBe(200)
  })
})
