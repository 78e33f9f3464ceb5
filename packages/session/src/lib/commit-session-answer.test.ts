import { describe, expect, it } from 'vitest'
import { commitSession } from './commit-session.ts'
import { createCookie } from './cookie.ts'
import { createCookieSessionStorage } from './session-storage/cookie.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'

const secret = 'a-test-secret-that-is-32-chars-long!'
const request = { method: 'GET', url: 'https://example.com/' }

describe('commitSession onto the response an earlier commit returned', () => {
  it('adds its cookie to that response, which it made, and leaves the handler’s alone', async () => {
    let sessions = {
      cookie: createCookie('sid', { secrets: [secret] }),
      storage: createMemorySessionStorage(),
    }
    let prefs = {
      cookie: createCookie('prefs', { secrets: [secret] }),
      storage: createCookieSessionStorage(),
    }
    let handlers = new Response('hello', { headers: { 'X-App': '1' } })
    let session = await sessions.storage.read(null)
    session.set('user', 'ada')
    let first = await commitSession(request, handlers, session, sessions)
    let preferences = await prefs.storage.read(null)
    preferences.set('theme', 'dark')
    let second = await commitSession(request, first, preferences, prefs)
    expect(second).toBe(first)
    expect(second.headers.getSetCookie().map((header) => header.split('=')[0])).toEqual([
      'sid',
      'prefs',
    ])
    expect(second.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await second.text()).toBe('hello')
    expect(handlers.headers.get('Set-Cookie')).toBeNull()
    expect([...handlers.headers]).toEqual([
      ['content-type', 'text/plain;charset=UTF-8'],
      ['x-app', '1'],
    ])
  })

  it('still copies a response it did not make, however often it is committed onto', async () => {
    let options = {
      cookie: createCookie('sid', { secrets: [secret] }),
      storage: createMemorySessionStorage(),
    }
    let shared = new Response(null, { status: 204 })
    for (let visitor = 0; visitor < 2; visitor++) {
      let session = await options.storage.read(null)
      session.set('visitor', visitor)
      let answer = await commitSession(request, shared, session, options)
      expect(answer).not.toBe(shared)
      expect(answer.headers.getSetCookie()).toHaveLength(1)
    }
    expect(shared.headers.get('Set-Cookie')).toBeNull()
  })

  it('copies a response it made for another request: a kept answer collects no later cookie', async () => {
    let options = {
      cookie: createCookie('sid', { secrets: [secret] }),
      storage: createMemorySessionStorage(),
    }
    let redirect = () => Response.redirect('https://example.com/home', 303)
    let first = await options.storage.read(null)
    first.set('user', 'one')
    // The app keeps visitor one's answer (a memoized redirect) and answers visitor two with it.
    let kept = await commitSession({ ...request }, redirect(), first, options)
    let cookies = kept.headers.getSetCookie()
    let second = await options.storage.read(null)
    second.set('user', 'two')
    let answer = await commitSession({ ...request }, kept, second, options)
    expect(answer).not.toBe(kept)
    expect(answer.headers.getSetCookie()).toHaveLength(2)
    expect(kept.headers.getSetCookie()).toEqual(cookies)
  })
})
