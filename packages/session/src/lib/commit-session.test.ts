import { describe, expect, it, vi } from 'vitest'
import { commitSession } from './commit-session.ts'
import { createCookie } from './cookie.ts'
import { createSessionStorage } from './server-storage.ts'
import type { Session } from './session.ts'
import { createCookieSessionStorage } from './session-storage/cookie.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'
import type { SessionStorage } from './session-storage.ts'
import { SessionStorageError } from './session-storage-error.ts'
import { SessionTooLargeError } from './session-too-large-error.ts'

const cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })

/** The `name=value` a browser sends back for a `Set-Cookie`. */
const sent = (response: Response) => String(response.headers.get('Set-Cookie')).split(';')[0]

async function readSession(storage: SessionStorage, cookieHeader: string | null = null) {
  return storage.read(await cookie.parse(cookieHeader))
}

function commit(
  storage: SessionStorage,
  session: Session,
  response: Response,
  request = new Request('http://x.test/'),
) {
  return commitSession(request, response, session, { cookie, storage })
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

  it('rejects with a SessionStorageError, the cause attached, when the storage fails', async () => {
    let down = () => Promise.reject(new Error('ECONNREFUSED'))
    let storage = createSessionStorage({
      readData: down,
      createData: down,
      updateData: down,
      deleteData: down,
    })
    let session = await readSession(storage)
    session.set('x', 1)
    let error = await commit(storage, session, new Response('ok')).catch((caught) => caught)
    expect(error).toBeInstanceOf(SessionStorageError)
    expect(error.cause).toEqual(new Error('ECONNREFUSED'))
  })

  it('rejects with a SessionTooLargeError when the signed cookie would not fit', async () => {
    let storage = createCookieSessionStorage()
    let session = await readSession(storage)
    session.set('blob', 'x'.repeat(3500))
    let error = await commit(storage, session, new Response('ok')).catch((caught) => caught)
    expect(error).toBeInstanceOf(SessionTooLargeError)
    expect(error.changedKeys).toEqual([{ key: 'blob', size: 3502 }])
  })

  it('keeps the session cookie off a response marked for shared caches', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let writes = 0
      let rows = new Map<string, string>()
      let storage = createSessionStorage(
        {
          readData: async (id) => rows.get(id) ?? null,
          createData: async (id, data) => {
            writes++
            rows.set(id, data)
          },
          updateData: async (id, data) => {
            writes++
            rows.set(id, data)
          },
          deleteData: async (id) => void rows.delete(id),
        },
        { idleTimeout: 3600 },
      )
      let session = await readSession(storage)
      session.set('user', 'ada')
      let jar = sent(await commit(storage, session, new Response('ok')))
      vi.advanceTimersByTime(30 * 60_000) // a renewal is due
      let publicly = () =>
        new Response('page', { headers: { 'Cache-Control': 'public, max-age=60' } })
      let page = publicly()
      // The renewal is stored (the user is active) but its cookie is not sent on a public page.
      expect(await commit(storage, await readSession(storage, jar), page)).toBe(page)
      expect(writes).toBe(2)

      let changed = await readSession(storage, jar)
      changed.set('user', 'bob')
      await expect(commit(storage, changed, publicly())).rejects.toThrow(
        'a response that sets the session cookie must not be public',
      )
      expect(writes).toBe(2)
      expect((await readSession(storage, jar)).get('user')).toBe('ada')
    } finally {
      vi.useRealTimers()
    }
  })
})
