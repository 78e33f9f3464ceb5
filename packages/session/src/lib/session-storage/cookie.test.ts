import { describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { createCookie } from '../cookie.ts'
import { createCookieSessionStorage } from './cookie.ts'

describeSessionStorage(
  'createCookieSessionStorage',
  (options) => createCookieSessionStorage(options),
  {
    serverSide: false,
    reopens: true,
  },
)

describe('createCookieSessionStorage', () => {
  it('refuses to save a session too large for a cookie, naming its size', async () => {
    let storage = createCookieSessionStorage()
    let session = await storage.read(null)
    session.set('blob', 'x'.repeat(5000))
    await expect(storage.save(session)).rejects.toThrow(
      /The session is \d+ bytes, more than a cookie can hold \(4096 bytes\).*server-side session storage/,
    )
  })

  it('refuses, at serialize, a session that fits but whose signed cookie would not', async () => {
    let browser = new Browser(
      createCookieSessionStorage(),
      createCookie('s', { secrets: [secret] }),
    )
    await expect(
      browser.request((session) => session.set('blob', 'x'.repeat(3500))),
    ).rejects.toThrow(/Cookie "s" would be \d+ bytes, over the 4096 bytes browsers keep/)
  })

  it('hides the data from the client with an encrypted cookie', async () => {
    let cookie = createCookie('s', { secrets: [secret], encrypted: true })
    let browser = new Browser(createCookieSessionStorage(), cookie)
    await browser.request((session) => session.set('card', 'secret-4242'))
    let raw = (browser.cookieHeader as string).slice(2)
    let bytes = Uint8Array.from(atob(raw.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    )
    expect(new TextDecoder().decode(bytes)).not.toContain('secret-4242')
    await browser.request((session) => expect(session.get('card')).toBe('secret-4242'))
  })

  it('lets a signed cookie be read but not changed by the client', async () => {
    let cookie = createCookie('s', { secrets: [secret] })
    let browser = new Browser(createCookieSessionStorage(), cookie)
    await browser.request((session) => session.set('role', 'user'))
    let [payload, signature] = (browser.cookieHeader as string).slice(2).split('.') as [
      string,
      string,
    ]
    let readable = new TextDecoder().decode(
      Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    )
    expect(readable).toContain('"user"')
    let forged = btoa(readable.replace('"user"', '"admin"'))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
    browser.cookieHeader = `s=${forged}.${signature}`
    await browser.request((session) => expect(session.get('role')).toBeUndefined())
  })
})
