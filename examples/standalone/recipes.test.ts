import { fileURLToPath } from 'node:url'
import { type Runtime, runtimes, type Server, startServer } from '@x/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const here = (folder: string) => fileURLToPath(new URL(`${folder}/`, import.meta.url))
const on = (entry: Runtime['entry']) => runtimes.filter((runtime) => runtime.entry === entry)

const recipes = [
  ...on('node').map((runtime) => ({ recipe: 'Hono', folder: 'hono', runtime })),
  ...on('node').map((runtime) => ({ recipe: 'Express 5', folder: 'express', runtime })),
  ...on('deno').map((runtime) => ({ recipe: 'Deno.serve', folder: 'fetch', runtime })),
  ...on('bun').map((runtime) => ({ recipe: 'Bun.serve', folder: 'fetch', runtime })),
]

describe.each(recipes)('@x/session in $recipe on $runtime.name', ({ folder, runtime }) => {
  let server: Server
  beforeAll(async () => {
    server = await startServer(runtime, here(folder))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  /** Sends a request with the cookie `jar` holds, as a browser would, without following redirects. */
  let send = (path: string, jar: string | undefined, init: RequestInit = {}) =>
    fetch(`${server.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(jar ? { Cookie: jar } : {}), ...init.headers },
    })
  let login = (jar: string | undefined, name: string) =>
    send('/login', jar, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name }).toString(),
    })
  let cookieOf = (response: Response) => response.headers.getSetCookie()[0]?.split(';')[0]

  it('signs in with a redirect, keeps the session across requests, and signs out', async () => {
    let anonymous = await send('/', undefined)
    expect(await anonymous.text()).toBe('Hello stranger')
    expect(anonymous.headers.get('Set-Cookie')).toBeNull()

    let signedIn = await login(undefined, 'ada')
    expect(signedIn.status).toBe(303)
    expect(new URL(signedIn.headers.get('Location') as string, server.base).pathname).toBe('/')
    expect(signedIn.headers.getSetCookie()).toHaveLength(1)
    expect(signedIn.headers.get('Set-Cookie')).toMatch(
      /^session=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/,
    )
    expect(signedIn.headers.get('Cache-Control')).toBe('private, no-store')
    let jar = cookieOf(signedIn)

    expect(await (await send('/', jar)).text()).toBe('Signed in. Hello ada')
    let again = await send('/', jar)
    expect(await again.text()).toBe('Hello ada')
    expect(again.headers.get('Set-Cookie')).toBeNull()

    let signedOut = await send('/logout', jar, { method: 'POST' })
    expect(signedOut.status).toBe(303)
    expect(signedOut.headers.get('Set-Cookie')).toMatch(/^session=; .*Max-Age=0/)
    expect(await (await send('/', jar)).text()).toBe('Hello stranger')
  })

  it('gives a new session id at login, so the id from before it is worthless', async () => {
    let first = cookieOf(await login(undefined, 'ada'))
    let second = await login(first, 'bob')
    let jar = cookieOf(second)
    expect(jar).not.toBe(first)
    expect(await (await send('/', jar)).text()).toBe('Signed in. Hello bob')
    expect(await (await send('/', first)).text()).toBe('Hello stranger')
  })

  it('saves nothing when a handler throws midway: a 500 without a cookie, the session as it was', async () => {
    let jar = cookieOf(await login(undefined, 'ada'))
    expect(await (await send('/', jar)).text()).toBe('Signed in. Hello ada')
    let failed = await send('/fail', jar, { method: 'POST' })
    expect(failed.status).toBe(500)
    expect(await failed.text()).toBe('Internal Server Error')
    expect(failed.headers.get('Set-Cookie')).toBeNull()
    expect(await (await send('/', jar)).text()).toBe('Hello ada')
  })

  it('leaves a flash message for the GET after a HEAD request', async () => {
    let jar = cookieOf(await login(undefined, 'ada'))
    let head = await send('/', jar, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('Set-Cookie')).toBeNull()
    expect(await (await send('/', jar)).text()).toBe('Signed in. Hello ada')
  })
})

describe.each(on('node'))('@x/session in Hono on $name, next to a cookie of its own', (runtime) => {
  let server: Server
  beforeAll(async () => {
    server = await startServer(runtime, here('hono'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('sends both the handler’s cookie and the session’s', async () => {
    let response = await fetch(`${server.base}/theme`, { method: 'POST', redirect: 'manual' })
    let cookies = response.headers.getSetCookie()
    expect(cookies).toHaveLength(2)
    expect(cookies[0]).toBe('theme=dark; Path=/')
    let jar = cookies[1]?.split(';')[0] as string
    let page = await fetch(`${server.base}/`, { headers: { Cookie: jar } })
    expect(await page.text()).toBe('Theme saved. Hello stranger')
  })
})

describe.each(on('node').slice(0, 1))('@x/session in Hono on $name in production', (runtime) => {
  let server: Server
  beforeAll(async () => {
    let env = { NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-32-characters!' }
    server = await startServer(runtime, here('hono'), env)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('names the cookie __Host-session and marks it Secure', async () => {
    let response = await fetch(`${server.base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=ada',
    })
    expect(response.headers.get('Set-Cookie')).toMatch(
      /^__Host-session=[^;]+; HttpOnly; Path=\/; SameSite=Lax; Secure$/,
    )
  })
})
