import { describe, expect, it } from 'vitest'
import { type CommitSessionOptions, commitSession } from './commit-session.ts'
import { createCookie } from './cookie.ts'
import type { Session } from './session.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'
import type { SessionStorage } from './session-storage.ts'

const cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })

/** One page for every visitor, made once: what `madeWith` lets an app keep in a module. */
const pageBody = '<p>the same page for everyone</p>'
const page = new Response(pageBody, { headers: { 'Content-Type': 'text/html; charset=utf-8' } })

/** The `name=value` a browser sends back for a `Set-Cookie`. */
const sent = (response: Response) => String(response.headers.get('Set-Cookie')).split(';')[0]

async function readSession(storage: SessionStorage, cookieHeader: string | null = null) {
  return storage.read(await cookie.parse(cookieHeader))
}

/** A new session of `storage` with `user` set: a changed session, to be saved. */
async function signingIn(storage: SessionStorage, user: string) {
  let session = await readSession(storage)
  session.set('user', user)
  return session
}

function commit(
  storage: SessionStorage,
  session: Session,
  response: Response,
  options: Partial<CommitSessionOptions> = {},
) {
  let request = new Request('http://x.test/')
  return commitSession(request, response, session, { cookie, storage, ...options })
}

describe('commitSession with madeWith', () => {
  it('answers with the body given, the response’s status and current headers, the cookie and Cache-Control', async () => {
    let storage = createMemorySessionStorage()
    let body = '<p>saved</p>'
    let response = new Response(body, { status: 201, headers: { 'Content-Type': 'text/html' } })
    response.headers.set('X-App', '1') // set after the response was made
    let answer = await commit(storage, await signingIn(storage, 'ada'), response, {
      madeWith: { body },
    })
    expect(answer).not.toBe(response)
    expect(answer.status).toBe(201)
    expect(answer.headers.get('Content-Type')).toBe('text/html')
    expect(answer.headers.get('X-App')).toBe('1')
    expect(answer.headers.get('Set-Cookie')).toMatch(/^sid=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/)
    expect(answer.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await answer.text()).toBe(body)
    expect((await readSession(storage, sent(answer))).get('user')).toBe('ada')
    expect([...response.headers]).toEqual([
      ['content-type', 'text/html'],
      ['x-app', '1'],
    ])
  })

  it('answers two visitors from one module-level response, each with their own cookie only', async () => {
    let storage = createMemorySessionStorage()
    let madeWith = { body: pageBody }
    let ada = await commit(storage, await signingIn(storage, 'ada'), page, { madeWith })
    // Sent before the next request comes in: a copy sharing the page's stream would use it up.
    expect(await ada.text()).toBe(pageBody)
    let bob = await commit(storage, await signingIn(storage, 'bob'), page, { madeWith })
    expect(await bob.text()).toBe(pageBody)
    expect(ada.headers.getSetCookie()).toHaveLength(1)
    expect(bob.headers.getSetCookie()).toHaveLength(1)
    expect((await readSession(storage, sent(ada))).get('user')).toBe('ada')
    expect((await readSession(storage, sent(bob))).get('user')).toBe('bob')
    expect(bob.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('Set-Cookie')).toBeNull()
    expect(page.headers.get('Cache-Control')).toBeNull()
    expect(page.bodyUsed).toBe(false)
  })

  it('answers with the body given when the response’s own body was already read', async () => {
    let storage = createMemorySessionStorage()
    let response = new Response('hello')
    await response.text()
    let answer = await commit(storage, await signingIn(storage, 'ada'), response, {
      madeWith: { body: 'hello' },
    })
    expect(await answer.text()).toBe('hello')
    expect(answer.headers.get('Set-Cookie')).toMatch(/^sid=/)
  })

  it('still refuses a read body without madeWith when the save sends a new cookie, saving nothing', async () => {
    let storage = createMemorySessionStorage()
    let jar = sent(await commit(storage, await signingIn(storage, 'ada'), new Response('ok')))
    let changed = await readSession(storage, jar)
    changed.regenerateId()
    changed.set('user', 'bob')
    let response = new Response('hello')
    await response.text()
    await expect(commit(storage, changed, response)).rejects.toThrow(
      new TypeError(
        'commitSession(): the session changed, but the response cannot be copied to carry its cookie: its body was already read. Nothing was saved',
      ),
    )
    expect((await readSession(storage, jar)).get('user')).toBe('ada')
  })

  it('still refuses a status outside 200–599 (Response.error()), saving nothing', async () => {
    let storage = createMemorySessionStorage()
    let jar = sent(await commit(storage, await signingIn(storage, 'ada'), new Response('ok')))
    let changed = await readSession(storage, jar)
    changed.set('user', 'bob')
    let committing = commit(storage, changed, Response.error(), { madeWith: { body: null } })
    await expect(committing).rejects.toThrow(
      new TypeError(
        'commitSession(): the session changed, but the response cannot be copied to carry its cookie: it is Response.error(). Nothing was saved',
      ),
    )
    expect((await readSession(storage, jar)).get('user')).toBe('ada')
  })

  it('keeps the status text given, and a null body', async () => {
    let storage = createMemorySessionStorage()
    let response = new Response(null, { status: 202, statusText: 'Queued' })
    let answer = await commit(storage, await signingIn(storage, 'ada'), response, {
      madeWith: { body: null, statusText: 'Queued' },
    })
    expect([answer.status, answer.statusText]).toEqual([202, 'Queued'])
    expect(answer.body).toBeNull()
    expect(answer.headers.get('Set-Cookie')).toMatch(/^sid=/)
  })

  it('refuses a body given for a status that has none (204), saving nothing', async () => {
    let storage = createMemorySessionStorage()
    let jar = sent(await commit(storage, await signingIn(storage, 'ada'), new Response('ok')))
    let changed = await readSession(storage, jar)
    changed.set('user', 'bob')
    let noContent = new Response(null, { status: 204 })
    await expect(commit(storage, changed, noContent, { madeWith: { body: '' } })).rejects.toThrow(
      new TypeError(
        'commitSession(): the session changed, but the response cannot be copied to carry its cookie: its status 204 cannot have the body given in madeWith. Nothing was saved',
      ),
    )
    expect((await readSession(storage, jar)).get('user')).toBe('ada')
  })

  it('keeps the response’s headers as they are: a Content-Type removed stays removed', async () => {
    let storage = createMemorySessionStorage()
    let response = new Response('raw bytes', { headers: { 'X-Kind': 'raw' } })
    response.headers.delete('Content-Type')
    let answer = await commit(storage, await signingIn(storage, 'ada'), response, {
      madeWith: { body: 'raw bytes' },
    })
    expect(answer.headers.get('Content-Type')).toBeNull()
    expect(answer.headers.get('X-Kind')).toBe('raw')
    expect(await answer.text()).toBe('raw bytes')
  })

  // The caller vouches that the response still has the headers it was made with: they are what is
  // checked and copied, names in any case, and response.headers is not read at all.
  it('checks and copies the headers given in madeWith, whatever the case of their names', async () => {
    let storage = createMemorySessionStorage()
    let response = new Response('made', { headers: { 'X-Kind': 'made' } })
    let headers = { 'Content-Type': 'text/csv', 'X-Request-Id': 'r-1' }
    let answer = await commit(storage, await signingIn(storage, 'ada'), unreadable(response), {
      madeWith: { body: 'made', headers },
    })
    expect(answer.headers.get('Content-Type')).toBe('text/csv')
    expect(answer.headers.get('X-Request-Id')).toBe('r-1')
    expect(answer.headers.get('X-Kind')).toBeNull()
    expect(answer.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await answer.text()).toBe('made')
    expect((await readSession(storage, sent(answer))).get('user')).toBe('ada')
  })

  it('refuses a changed session when the headers given in madeWith let shared caches in', async () => {
    let storage = createMemorySessionStorage()
    let jar = sent(await commit(storage, await signingIn(storage, 'ada'), new Response('ok')))
    let changed = await readSession(storage, jar)
    changed.set('user', 'bob')
    let response = unreadable(new Response('made'))
    let committing = commit(storage, changed, response, {
      madeWith: { body: 'made', headers: { 'CACHE-CONTROL': 'public, max-age=600' } },
    })
    await expect(committing).rejects.toThrow('(Cache-Control: public, max-age=600)')
    expect((await readSession(storage, jar)).get('user')).toBe('ada')
  })

  it('reads the headers given in madeWith as new Response() does: own keys, one header per name', async () => {
    let storage = createMemorySessionStorage()
    let inherited = Object.create({ 'X-Inherited': 'yes' }) as Record<string, string>
    inherited['X-Own'] = 'mine'
    let inheriting = await commit(storage, await signingIn(storage, 'ada'), new Response('a'), {
      madeWith: { body: 'a', headers: inherited },
    })
    expect(inheriting.headers.get('X-Own')).toBe('mine')
    expect(inheriting.headers.has('X-Inherited')).toBe(false)
    let twice = { 'cache-control': 'no-store', 'Cache-Control': 'public', 'X-A': '1', 'x-a': '2' }
    let made = new Response('b', { headers: twice })
    let merged = await commit(storage, await signingIn(storage, 'bob'), made, {
      madeWith: { body: 'b', headers: twice },
    })
    expect(merged.headers.get('Cache-Control')).toBe(made.headers.get('Cache-Control'))
    expect(merged.headers.get('X-A')).toBe('1, 2')
    expect(merged.headers.getSetCookie()).toHaveLength(1)
  })
})

/** `response` with `headers` that throw when read: what `madeWith.headers` must spare. */
function unreadable(response: Response): Response {
  Object.defineProperty(response, 'headers', {
    get() {
      throw new Error('response.headers was read')
    },
  })
  return response
}
