import { afterEach, describe, expect, it, vi } from 'vitest'
import { commitSession } from './commit-session.ts'
import { createCookie } from './cookie.ts'
import { createSessionStorage } from './server-storage.ts'
import type { Session } from './session.ts'
import { createCookieSessionStorage } from './session-storage/cookie.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'
import type { SessionStorage } from './session-storage.ts'
import { SessionStorageError } from './session-storage-error.ts'
import { SessionTooLargeError } from './session-too-large-error.ts'

const secret = 'a-test-secret-that-is-32-chars-long!'
const cookie = createCookie('sid', { secrets: [secret] })

/** The `name=value` a browser sends back for a `Set-Cookie`. */
const sent = (response: Response) => String(response.headers.get('Set-Cookie')).split(';')[0]

async function readSession(storage: SessionStorage, cookieHeader: string | null = null) {
  return storage.read(await cookie.parse(cookieHeader))
}

/** A server storage over a Map that counts the records it writes and deletes. */
function countingStorage() {
  let rows = new Map<string, string>()
  let calls = { write: 0, delete: 0 }
  let storage = createSessionStorage(
    {
      readData: async (id) => rows.get(id) ?? null,
      createData: async (id, data) => {
        calls.write++
        rows.set(id, data)
      },
      updateData: async (id, data) => {
        calls.write++
        rows.set(id, data)
      },
      deleteData: async (id) => {
        calls.delete++
        rows.delete(id)
      },
    },
    { idleTimeout: 3600 },
  )
  return { storage, calls }
}

/** A server storage whose every call rejects with `error`, as with its database down. */
function failingStorage(error: Error) {
  let down = () => Promise.reject(error)
  return createSessionStorage({
    readData: down,
    createData: down,
    updateData: down,
    deleteData: down,
  })
}

/** A signed-in user's cookie (`user: 'ada'`) in a counting storage. */
async function signedIn() {
  let { storage, calls } = countingStorage()
  let session = await readSession(storage)
  session.set('user', 'ada')
  let jar = sent(await commit(storage, session, new Response('ok')))
  return { storage, calls, jar }
}

function commit(
  storage: SessionStorage,
  session: Session,
  response: Response,
  request = new Request('http://x.test/'),
) {
  return commitSession(request, response, session, { cookie, storage })
}

/** A response that counts the reads of its body and of its body's state. */
class WatchedResponse extends Response {
  bodyReads = 0
  override get body() {
    this.bodyReads++
    return super.body
  }
  override get bodyUsed() {
    this.bodyReads++
    return super.bodyUsed
  }
}

describe('commitSession', () => {
  it('answers a login on Response.redirect() with a new response carrying the cookie', async () => {
    let storage = createMemorySessionStorage()
    let before = await readSession(storage)
    before.set('cart', 1)
    let anonymous = sent(await commit(storage, before, new Response('ok')))

    let session = await readSession(storage, anonymous)
    session.regenerateId(true)
    session.set('user', 'ada')
    let redirect = Response.redirect('http://x.test/', 303)
    let response = await commit(storage, session, redirect)
    expect(response).not.toBe(redirect)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('http://x.test/')
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    expect([...redirect.headers]).toEqual([['location', 'http://x.test/']])
    expect((await readSession(storage, sent(response))).get('user')).toBe('ada')
    expect((await readSession(storage, anonymous)).size).toBe(0) // the old id is gone
  })

  it('returns the response itself when there is nothing to send', async () => {
    let storage = createMemorySessionStorage()
    let response = new Response('ok')
    expect(await commit(storage, await readSession(storage), response)).toBe(response)
  })

  it('saves nothing and sends no cookie for HEAD, so a flash read there stays', async () => {
    let storage = createMemorySessionStorage()
    let session = await readSession(storage)
    session.flash('notice', 'Saved')
    let jar = sent(await commit(storage, session, new Response('ok')))
    let head = new Request('http://x.test/', { method: 'HEAD' })
    let read = await readSession(storage, jar)
    expect(read.get('notice')).toBe('Saved')
    let response = new Response(null)
    expect(await commit(storage, read, response, head)).toBe(response)
    expect((await readSession(storage, jar)).get('notice')).toBe('Saved')
  })

  it('marks the cookie Secure over https, or when told the request came over https', async () => {
    let storage = createMemorySessionStorage()
    let setCookie = async (url: string, https?: boolean) => {
      let session = await readSession(storage)
      session.set('x', 1)
      let response = await commitSession(new Request(url), new Response('ok'), session, {
        cookie,
        storage,
        ...(https === undefined ? {} : { https }),
      })
      return String(response.headers.get('Set-Cookie'))
    }
    expect(await setCookie('https://x.test/')).toMatch(/; Secure$/)
    expect(await setCookie('http://localhost/')).not.toContain('Secure')
    expect(await setCookie('http://x.test/', true)).toMatch(/; Secure$/)
  })

  it('leaves Secure off over https for a cookie created with secure: false', async () => {
    let storage = createMemorySessionStorage()
    let insecure = createCookie('sid', { secrets: [secret], secure: false })
    let session = await readSession(storage)
    session.set('x', 1)
    let response = await commitSession(
      new Request('https://x.test/'),
      new Response('ok'),
      session,
      {
        cookie: insecure,
        storage,
      },
    )
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(response.headers.get('Set-Cookie')).not.toContain('Secure')
  })
})

describe('commitSession when saving fails', () => {
  it('rejects with a SessionStorageError, the cause attached, when the storage fails', async () => {
    let storage = failingStorage(new Error('ECONNREFUSED'))
    let session = await readSession(storage)
    session.set('x', 1)
    let error = await commit(storage, session, new Response('ok')).catch((caught) => caught)
    expect(error).toBeInstanceOf(SessionStorageError)
    expect(error.cause).toEqual(new Error('ECONNREFUSED'))
  })

  it('rejects with the TypeError itself, not a SessionStorageError, for a userKey value that names no user', async () => {
    let storage = createMemorySessionStorage({ userKey: 'userId' })
    let session = await readSession(storage)
    session.set('userId', { id: 1 })
    let error = await commit(storage, session, new Response('ok')).catch((caught) => caught)
    expect(error).toBeInstanceOf(TypeError)
    expect(error).not.toBeInstanceOf(SessionStorageError)
    expect(error.message).toMatch(/"userId" \(the userKey option\) must be a string/)
    // A TypeError from the storage itself (a client library failing) is still an outage.
    let failing = failingStorage(new TypeError('fetch failed'))
    let other = await readSession(failing)
    other.set('x', 1)
    let outage = await commit(failing, other, new Response('ok')).catch((caught) => caught)
    expect(outage).toBeInstanceOf(SessionStorageError)
  })

  it('rejects with a SessionTooLargeError when the signed cookie would not fit', async () => {
    let storage = createCookieSessionStorage()
    let session = await readSession(storage)
    session.set('blob', 'x'.repeat(3500))
    let error = await commit(storage, session, new Response('ok')).catch((caught) => caught)
    expect(error).toBeInstanceOf(SessionTooLargeError)
    expect(error.changedKeys).toEqual([{ key: 'blob', size: 3502 }])
  })
})

describe('commitSession and shared caches', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  const sharedCacheable: [string, Record<string, string>][] = [
    ['public', { 'Cache-Control': 'public, max-age=60' }],
    ['s-maxage', { 'Cache-Control': 's-maxage=60' }],
    ['max-age', { 'Cache-Control': 'max-age=600' }],
    ['no-cache', { 'Cache-Control': 'no-cache' }],
    ['must-revalidate', { 'Cache-Control': 'must-revalidate, max-age=60' }],
    ['stale-while-revalidate', { 'Cache-Control': 'stale-while-revalidate=60' }],
    ['immutable', { 'Cache-Control': 'immutable, max-age=31536000' }],
    ['a qualified private', { 'Cache-Control': 'private="set-cookie", max-age=60' }],
    ['no-store only inside a quoted argument', { 'Cache-Control': 'community="a,no-store"' }],
    ['CDN-Cache-Control', { 'Cache-Control': 'private', 'CDN-Cache-Control': 'max-age=600' }],
    ['Cloudflare-CDN-Cache-Control', { 'Cloudflare-CDN-Cache-Control': 'max-age=600' }],
    ['Vercel-CDN-Cache-Control', { 'Vercel-CDN-Cache-Control': 'max-age=600' }],
    ['Surrogate-Control', { 'Surrogate-Control': 'max-age=3600' }],
  ]

  it.each(sharedCacheable)(
    'refuses a changed session on a response with %s, before saving anything',
    async (_, headers) => {
      let { storage, calls, jar } = await signedIn()
      let changed = await readSession(storage, jar)
      changed.set('user', 'bob')
      let error = await commit(storage, changed, new Response('page', { headers })).catch(
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(Error)
      expect(String(error)).toContain(
        'Rule: a response that sets the session cookie must not be storable by a shared cache',
      )
      let [name, value] = Object.entries(headers).at(-1) as [string, string]
      expect(String(error)).toContain(`(${name}: ${value})`)
      expect(calls.write).toBe(1)
      expect((await readSession(storage, jar)).get('user')).toBe('ada')
    },
  )

  it.each(sharedCacheable)(
    'holds back a renewal due on a response with %s: nothing stored, nothing sent, until a private one',
    async (_, headers) => {
      vi.useFakeTimers({ toFake: ['Date'] })
      let { storage, calls, jar } = await signedIn()
      vi.advanceTimersByTime(30 * 60_000) // a renewal is due
      let page = new Response('page', { headers })
      expect(await commit(storage, await readSession(storage, jar), page)).toBe(page)
      expect(page.headers.has('Set-Cookie')).toBe(false)
      // Stored without its cookie, it would move the session's end past the browser's cookie's.
      expect(calls.write).toBe(1)
      let next = await commit(storage, await readSession(storage, jar), new Response('mine'))
      expect(next.headers.get('Set-Cookie')).toMatch(/^sid=/)
      expect(calls.write).toBe(2)
    },
  )

  it('keeps an active user signed in through renewals due on cacheable pages', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    // The cookie ends with the idle timeout, as the README recommends.
    let shortCookie = createCookie('sid', { secrets: [secret], maxAge: 600 })
    let storage = createMemorySessionStorage({ idleTimeout: 600 })
    let jar: string | null = null
    let cookieEnds = Number.POSITIVE_INFINITY
    let visit = async (change: (session: Session) => void, headers: HeadersInit = {}) => {
      if (Date.now() >= cookieEnds) jar = null
      let session = await storage.read(await shortCookie.parse(jar))
      change(session)
      let request = new Request('http://x.test/')
      let response = new Response('page', { headers })
      let answer = await commitSession(request, response, session, { cookie: shortCookie, storage })
      let header = answer.headers.get('Set-Cookie')
      if (header !== null) {
        jar = header.split(';')[0] as string
        cookieEnds = Date.now() + 600_000
      }
      return session
    }
    await visit((session) => session.set('user', 'ada'))
    // For half an hour: a change, a public page when the renewal falls due, a change 10 s later.
    for (let step = 1; step <= 25; step++) {
      vi.advanceTimersByTime(60_000)
      await visit(() => {}, { 'Cache-Control': 'public, max-age=60' })
      vi.advanceTimersByTime(10_000)
      let session = await visit((session) => session.set('step', step))
      expect(session.get('user')).toBe('ada')
    }
  })

  it.each([
    'private',
    'no-store',
    'private, max-age=60',
    'max-age=0, Private',
    'no-cache, NO-STORE',
  ])('sets the cookie on a response with Cache-Control: %s, and keeps it', async (value) => {
    // A new session: a server storage sends its cookie when the id is new (or renewed).
    let { storage } = countingStorage()
    let changed = await readSession(storage)
    changed.set('user', 'bob')
    let response = await commit(
      storage,
      changed,
      new Response('mine', {
        headers: { 'Cache-Control': value, 'CDN-Cache-Control': 'no-store' },
      }),
    )
    expect(response.headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect(response.headers.get('Cache-Control')).toBe(value)
  })
})

describe('commitSession Cache-Control', () => {
  it('adds private, no-store to a response without Cache-Control, or with an empty one', async () => {
    let { storage } = countingStorage()
    for (let headers of [{}, { 'Cache-Control': ' ' }] as Record<string, string>[]) {
      let changed = await readSession(storage)
      changed.set('visits', 1)
      let response = await commit(storage, changed, new Response('mine', { headers }))
      expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    }
  })

  it.each(['public, max-age=600', 'max-age=600', 'private="set-cookie"', ''])(
    'refuses a cacheControl option of %j with a TypeError, before saving',
    async (value) => {
      let { storage, calls } = countingStorage()
      let session = await readSession(storage)
      session.set('user', 'ada')
      let committing = commitSession(new Request('http://x.test/'), new Response('ok'), session, {
        cookie,
        storage,
        cacheControl: value,
      })
      await expect(committing).rejects.toThrow(
        new TypeError(
          `commitSession(): cacheControl ${JSON.stringify(value)} would let shared caches store the session cookie; it needs an unqualified \`private\` or \`no-store\` (or false to add none)`,
        ),
      )
      expect(calls.write).toBe(0)
    },
  )

  it('adds a cacheControl option that keeps shared caches out', async () => {
    let storage = createMemorySessionStorage()
    let session = await readSession(storage)
    session.set('user', 'ada')
    let response = await commitSession(new Request('http://x.test/'), new Response('ok'), session, {
      cookie,
      storage,
      cacheControl: 'private, max-age=0',
    })
    expect(response.headers.get('Cache-Control')).toBe('private, max-age=0')
  })
})

describe('commitSession with a response it cannot copy', () => {
  const uncopyable: [string, () => Promise<Response> | Response, string][] = [
    ['Response.error()', () => Response.error(), 'it is Response.error()'],
    [
      'a response whose body was read',
      async () => {
        let response = new Response('read')
        await response.text()
        return response
      },
      'its body was already read',
    ],
    [
      'a response whose body is locked',
      () => {
        let response = new Response('locked')
        response.body?.getReader()
        return response
      },
      'its body is locked by a reader',
    ],
  ]

  it.each(uncopyable)(
    'refuses a login on %s with a TypeError, before retiring the old id',
    async (_, make, problem) => {
      let { storage, calls, jar } = await signedIn()
      let session = await readSession(storage, jar)
      session.regenerateId(true)
      session.set('user', 'bob')
      await expect(commit(storage, session, await make())).rejects.toThrow(
        new TypeError(
          `commitSession(): the session changed, but the response cannot be copied to carry its cookie: ${problem}. Nothing was saved`,
        ),
      )
      expect(calls).toEqual({ write: 1, delete: 0 })
      expect((await readSession(storage, jar)).get('user')).toBe('ada') // still signed in
    },
  )

  it.each(uncopyable.slice(1))(
    'saves a change that keeps a server-side session’s id on %s, and sends no cookie',
    async (_, make) => {
      let { storage, jar } = await signedIn()
      let session = await readSession(storage, jar)
      session.set('cart', 3)
      let response = await make()
      expect(await commit(storage, session, response)).toBe(response)
      let stored = await readSession(storage, jar)
      expect([stored.get('user'), stored.get('cart')]).toEqual(['ada', 3])
    },
  )

  it('refuses Response.error() for a change that keeps the id too, before saving', async () => {
    let { storage, calls, jar } = await signedIn()
    let session = await readSession(storage, jar)
    session.set('cart', 3)
    await expect(commit(storage, session, Response.error())).rejects.toThrow(
      'the response cannot be copied to carry its cookie: it is Response.error()',
    )
    expect(calls).toEqual({ write: 1, delete: 0 })
  })

  it.each(uncopyable.slice(1))(
    'refuses a new session, a new id, a destroy or a cookie session on %s, before saving',
    async (_, make, problem) => {
      let refused = `commitSession(): the session changed, but the response cannot be copied to carry its cookie: ${problem}. Nothing was saved`
      let { storage, calls, jar } = await signedIn()
      let fresh = await readSession(storage)
      fresh.set('cart', 1)
      await expect(commit(storage, fresh, await make())).rejects.toThrow(refused)
      let renamed = await readSession(storage, jar)
      renamed.regenerateId()
      await expect(commit(storage, renamed, await make())).rejects.toThrow(refused)
      let destroyed = await readSession(storage, jar)
      destroyed.destroy()
      await expect(commit(storage, destroyed, await make())).rejects.toThrow(refused)
      expect(calls).toEqual({ write: 1, delete: 0 })
      let cookieStorage = createCookieSessionStorage()
      let inCookie = await readSession(cookieStorage)
      inCookie.set('cart', 1)
      await expect(commit(cookieStorage, inCookie, await make())).rejects.toThrow(refused)
    },
  )

  it('reads neither the body nor its state for a change that keeps the id, unless a cookie is due', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let { storage, jar } = await signedIn()
      let watched = () => new WatchedResponse('ok')
      let session = await readSession(storage, jar)
      session.set('cart', 1)
      let response = watched()
      expect(await commit(storage, session, response)).toBe(response)
      expect(response.bodyReads).toBe(0)
      // Past the renewal: the save renews, and its cookie needs the copy.
      vi.advanceTimersByTime(30 * 60_000)
      let renewing = await readSession(storage, jar)
      renewing.set('cart', 2)
      let renewed = watched()
      let answer = await commit(storage, renewing, renewed)
      expect(renewed.bodyReads).toBeGreaterThan(0)
      expect([answer === renewed, sent(answer)]).toEqual([false, jar])
      expect(await answer.text()).toBe('ok')
    } finally {
      vi.useRealTimers()
    }
  })

  it('refuses a change that renews the session on a read body, before saving: the stored expiry never passes the cookie’s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let { storage, calls, jar } = await signedIn()
      vi.advanceTimersByTime(30 * 60_000)
      let session = await readSession(storage, jar)
      session.set('cart', 1)
      let read = new Response('read')
      await read.text()
      await expect(commit(storage, session, read)).rejects.toThrow(
        'the response cannot be copied to carry its cookie: its body was already read. Nothing was saved',
      )
      expect(calls).toEqual({ write: 1, delete: 0 })
      // The next response that can carry it renews the session and sends the cookie.
      let next = await readSession(storage, jar)
      next.set('cart', 2)
      expect(sent(await commit(storage, next, new Response('ok')))).toBe(jar)
    } finally {
      vi.useRealTimers()
    }
  })

  it('refuses a change of the userKey value on a locked body, before saving', async () => {
    let storage = createMemorySessionStorage({ userKey: 'user' })
    let first = await readSession(storage)
    first.set('user', 'ada')
    let jar = sent(await commit(storage, first, new Response('ok')))
    let session = await readSession(storage, jar)
    session.set('user', 'bob')
    let locked = new Response('locked')
    locked.body?.getReader()
    await expect(commit(storage, session, locked)).rejects.toThrow(
      'its body is locked by a reader. Nothing was saved',
    )
    expect((await readSession(storage, jar)).get('user')).toBe('ada')
  })

  it('checks the save it calls: one read of storage.save serves the check and the save', async () => {
    let { storage, jar } = await signedIn()
    let reads = 0
    let rotating = (session: Session) => {
      session.regenerateId(true)
      return storage.save(session)
    }
    // Its own save on the first read, a wrapper that changes the id on later ones.
    let shifty: SessionStorage = Object.create(storage, {
      save: { get: () => (reads++ === 0 ? storage.save : rotating) },
    })
    let session = await readSession(storage, jar)
    session.set('cart', 1)
    let locked = new Response('locked')
    locked.body?.getReader()
    expect(await commit(shifty, session, locked)).toBe(locked)
    expect(reads).toBe(1)
    expect((await readSession(storage, jar)).get('cart')).toBe(1)
  })

  it('checks the body before saving with a storage whose save the app wrapped', async () => {
    let { storage, calls, jar } = await signedIn()
    // Say, an app that rotates ids on its own schedule: its save may send a new cookie.
    let wrapped: SessionStorage = Object.create(storage, {
      save: {
        value: (session: Session) => {
          session.regenerateId(true)
          return storage.save(session)
        },
      },
    })
    let session = await readSession(wrapped, jar)
    session.set('cart', 1)
    let locked = new Response('locked')
    locked.body?.getReader()
    await expect(commit(wrapped, session, locked)).rejects.toThrow(
      'its body is locked by a reader. Nothing was saved',
    )
    expect(calls).toEqual({ write: 1, delete: 0 })
  })

  it('returns Response.error() as it is when only a renewal is due', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let { storage, jar } = await signedIn()
      vi.advanceTimersByTime(30 * 60_000)
      let error = Response.error()
      expect(await commit(storage, await readSession(storage, jar), error)).toBe(error)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('commitSession called twice', () => {
  it('refuses a second commit after regenerateId(true), leaving the first one’s cookie valid', async () => {
    let { storage, calls, jar } = await signedIn()
    let session = await readSession(storage, jar)
    session.regenerateId(true)
    session.set('user', 'bob')
    let first = await commit(storage, session, new Response('ok'))
    let writes = calls.write
    await expect(commit(storage, session, first)).rejects.toThrow(
      'commitSession(): this session was already committed after regenerateId(true)',
    )
    expect(calls.write).toBe(writes)
    expect((await readSession(storage, sent(first))).get('user')).toBe('bob')
  })
})

describe('commitSession with a plain request object', () => {
  it('treats a lower-case head method as HEAD: nothing saved, no cookie', async () => {
    let { storage, calls } = countingStorage()
    let session = await readSession(storage)
    session.flash('notice', 'Saved')
    let response = new Response(null)
    let head = { method: 'head', url: 'http://x.test/' }
    expect(await commitSession(head, response, session, { cookie, storage })).toBe(response)
    expect(calls.write).toBe(0)
  })

  it('marks the cookie Secure for an upper-case HTTPS: url', async () => {
    let storage = createMemorySessionStorage()
    let session = await readSession(storage)
    session.set('x', 1)
    let request = { method: 'POST', url: 'HTTPS://x.test/' }
    let response = await commitSession(request, new Response('ok'), session, { cookie, storage })
    expect(response.headers.get('Set-Cookie')).toMatch(/; Secure$/)
  })
})
