import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** Something that answers requests: a server over HTTP, or the router in-process. */
export interface Target {
  fetch(url: string, init?: RequestInit): Promise<Response>
  base: string
  stop?(): Promise<void>
}

/**
 * A visitor with a cookie jar that keeps the session cookie as a browser would, sending
 * `userAgent` (when given) as its `User-Agent` on every request.
 */
export class Visitor {
  cookie: string | undefined
  #target: Target
  #userAgent: string | undefined

  constructor(target: Target, userAgent?: string) {
    this.#target = target
    this.#userAgent = userAgent
  }

  async send(path: string, init: RequestInit = {}): Promise<Response> {
    let headers = new Headers(init.headers)
    if (this.cookie) headers.set('Cookie', this.cookie)
    if (this.#userAgent !== undefined) headers.set('User-Agent', this.#userAgent)
    let response = await this.#target.fetch(`${this.#target.base}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    })
    let setCookie = response.headers.get('Set-Cookie')
    if (setCookie) this.cookie = /Max-Age=0/.test(setCookie) ? undefined : setCookie.split(';')[0]
    return response
  }

  async page(path: string): Promise<string> {
    let response = await this.send(path)
    expect(response.status).toBe(200)
    return response.text()
  }

  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.send(path, { method: 'POST', body: new URLSearchParams(fields) })
  }

  logIn(username = 'ada', password = 'lovelace-1815'): Promise<Response> {
    return this.post('/login', { username, password })
  }
}

const badge = (page: string) => /data-testid="cart-count">(\d+)</.exec(page)?.[1]

/**
 * The shop's HTTP scenario: login, flash, cart, logout, a tampered cookie and the locale API. Run
 * against the router in-process and against real servers on every runtime.
 */
export function describeShopScenario(
  name: string,
  start: () => Promise<Target>,
  serverSide: boolean,
): void {
  describe(name, () => {
    let target: Target
    beforeAll(async () => {
      target = await start()
    }, 60_000)
    afterAll(async () => {
      await target?.stop?.()
    })
    let newVisitor = () => new Visitor(target)
    itBrowsesAndLogsIn(newVisitor, serverSide)
    itRefusesCrossOriginWrites(newVisitor)
    itServesTheLocaleApi(newVisitor)
  })
}

/** Products, login, the cart, flash messages, logout and a tampered cookie. */
function itBrowsesAndLogsIn(newVisitor: () => Visitor, serverSide: boolean): void {
  it('shows the products to a new visitor without setting a cookie', async () => {
    let visitor = newVisitor()
    let response = await visitor.send('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('Set-Cookie')).toBeNull()
    let page = await response.text()
    expect(page).toContain('Add Enamel mug to cart')
    expect(page).toContain('Log in')
    expect(badge(page)).toBe('0')
  })

  it('refuses a wrong password with 401 and no session', async () => {
    let visitor = newVisitor()
    let response = await visitor.logIn('ada', 'wrong-password')
    expect(response.status).toBe(401)
    expect(await response.text()).toContain('Wrong username or password.')
  })

  it('logs in under a new session id, keeps the cart, and flashes once after the redirect', async () => {
    let visitor = newVisitor()
    await visitor.post('/cart/items', { sku: 'mug' })
    let before = visitor.cookie
    let response = await visitor.logIn()
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/')
    expect(response.headers.get('Set-Cookie')).toMatch(
      /; HttpOnly; Max-Age=604800; Path=\/; SameSite=Lax$/,
    )
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    expect(visitor.cookie).not.toBe(before)
    let page = await visitor.page('/')
    expect(page).toContain('Logged in as ada')
    expect(page).toContain('Signed in as <b>ada</b>')
    expect(badge(page)).toBe('1')
    expect(await visitor.page('/')).not.toContain('Logged in as ada')
  })

  it('keeps the cart across requests, with its badge on every page', async () => {
    let visitor = newVisitor()
    for (let sku of ['mug', 'mug', 'tee']) {
      let response = await visitor.post('/cart/items', { sku })
      expect(response.status).toBe(303)
      expect(response.headers.get('Location')).toBe('/cart')
    }
    let cart = await visitor.page('/cart')
    expect(cart).toContain('Item added: Cotton T-shirt')
    expect(cart).toContain('Enamel mug × 2')
    expect(cart).toContain('Cotton T-shirt × 1')
    expect(badge(await visitor.page('/login'))).toBe('3')
    expect(badge(await visitor.page('/'))).toBe('3')
  })

  it('keeps a flash message through a /favicon.ico request until a page shows it', async () => {
    let visitor = newVisitor()
    await visitor.post('/cart/items', { sku: 'cap' })
    expect((await visitor.send('/favicon.ico')).status).toBe(404)
    expect(await visitor.page('/cart')).toContain('Item added: Canvas cap')
    expect(await visitor.page('/cart')).not.toContain('Item added')
  })

  it('logs out: the cookie is deleted and the session is over', async () => {
    let visitor = newVisitor()
    await visitor.logIn()
    let signedIn = visitor.cookie
    let response = await visitor.send('/logout', { method: 'POST' })
    expect(response.status).toBe(303)
    expect(response.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    expect(visitor.cookie).toBeUndefined()
    expect(await visitor.page('/')).toContain('Log in')
    if (serverSide) {
      let replay = newVisitor()
      replay.cookie = signedIn
      expect(await replay.page('/')).toContain('Log in')
    }
  })

  it('treats a tampered cookie as a fresh session', async () => {
    let visitor = newVisitor()
    await visitor.logIn()
    let cookie = visitor.cookie as string
    let index = cookie.length - 5
    visitor.cookie = `${cookie.slice(0, index)}${cookie[index] === 'A' ? 'B' : 'A'}${cookie.slice(index + 1)}`
    let page = await visitor.page('/')
    expect(page).toContain('Log in')
    expect(page).not.toContain('Signed in as')
  })
}

/** Every write from another origin refused, the session unchanged. */
function itRefusesCrossOriginWrites(newVisitor: () => Visitor): void {
  it('refuses every form post and API write a browser sends from another origin, changing nothing', async () => {
    let visitor = newVisitor()
    await visitor.logIn()
    await visitor.post('/cart/items', { sku: 'mug' })
    let signedIn = visitor.cookie
    let form = (body: Record<string, string>) => ({
      method: 'POST',
      body: new URLSearchParams(body),
    })
    let json = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"country":"FR"}',
    }
    let writes: [string, RequestInit][] = [
      ['/logout', { method: 'POST' }],
      ['/login', form({ username: 'grace', password: 'hopper-1906' })],
      ['/cart/items', form({ sku: 'tee' })],
      ['/account/sessions/end', form({ handle: 'A'.repeat(43) })],
      ['/account/sessions/end-all', { method: 'POST' }],
      ['/api/locale', json],
      ['/api/locale', { method: 'DELETE' }],
    ]
    // A current browser says where the request comes from in Sec-Fetch-Site; an older one only
    // in Origin: another site, another port of the same host, or an opaque (sandboxed) page.
    let from: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'http://127.0.0.1:1' },
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
    ]
    for (let headers of from) {
      for (let [path, init] of writes) {
        let response = await visitor.send(path, {
          ...init,
          headers: { ...init.headers, ...headers },
        })
        expect(response.status).toBe(403)
        expect(await response.text()).toBe('Forbidden: cross-origin request refused')
        expect(response.headers.get('Set-Cookie')).toBeNull()
      }
    }
    expect(visitor.cookie).toBe(signedIn)
    let page = await visitor.page('/cart')
    expect(page).toContain('Signed in as <b>ada</b>')
    expect(page).toContain('Enamel mug × 1')
    expect(page).not.toContain('Cotton T-shirt')
    expect(await (await visitor.send('/api/locale')).json()).toEqual({
      country: 'US',
      language: 'en',
    })
    let sameOrigin = await visitor.send('/cart/items', {
      ...form({ sku: 'tee' }),
      headers: { 'Sec-Fetch-Site': 'same-origin', Origin: 'https://evil.example' },
    })
    expect(sameOrigin.status).toBe(303)
  })
}

/** The locale preference API. */
function itServesTheLocaleApi(newVisitor: () => Visitor): void {
  it('reads, sets and clears the locale preference over the API', async () => {
    let visitor = newVisitor()
    let read = async () => (await visitor.send('/api/locale')).json()
    expect(await read()).toEqual({ country: 'US', language: 'en' })
    let json = (body: unknown) => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(
      (await visitor.send('/api/locale', json({ country: 'CA', language: 'fr' }))).status,
    ).toBe(200)
    expect(await read()).toEqual({ country: 'CA', language: 'fr' })
    expect(await (await visitor.send('/api/locale', json({ language: 'de' }))).json()).toEqual({
      country: 'CA',
      language: 'de',
    })
    expect((await visitor.send('/api/locale', json({}))).status).toBe(400)
    let invalid = await visitor.send('/api/locale', json({ country: 'Canada', language: 'fr' }))
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ issues: [{ in: 'json', path: ['country'] }] })
    let wrongType = await visitor.send('/api/locale', { method: 'POST', body: 'country=CA' })
    expect(wrongType.status).toBe(415)
    expect((await visitor.send('/api/locale', { method: 'DELETE' })).status).toBe(204)
    expect(await read()).toEqual({ country: 'US', language: 'en' })
  })
}
