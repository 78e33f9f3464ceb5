import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCookie } from './cookie.ts'

// A runtime without Node's crypto (a Worker, say): cookies sign and verify with Web Crypto.
vi.mock('./native.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./native.ts')>()),
  nativeCrypto: undefined,
}))

const secret = 'a-secret-that-is-at-least-32-chars-long'

/** The `name=value` part of a Set-Cookie header, as a browser sends it back. */
const sent = (setCookie: string) => setCookie.split(';')[0] as string

describe('Cookie on Web Crypto', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it("signs as Node's crypto does, and reads back what it wrote without verifying it", async () => {
    let cookie = createCookie('s', { secrets: [secret] })
    let header = sent(await cookie.serialize('hello'))
    let [payload, signature] = header.slice('s='.length).split('.') as [string, string]
    expect(signature).toBe(createHmac('sha256', secret).update(`s=${payload}`).digest('base64url'))
    let verify = vi.spyOn(crypto.subtle, 'verify')
    expect(await cookie.parse(header)).toBe('hello')
    expect(verify).not.toHaveBeenCalled()
    // A cookie that did not write it verifies it, once.
    let reader = createCookie('s', { secrets: [secret] })
    expect(await reader.parse(header)).toBe('hello')
    expect(await reader.parse(header)).toBe('hello')
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('reads back a value it wrote with attributes of its own, and refuses a changed one', async () => {
    let cookie = createCookie('s', { secrets: [secret] })
    let header = sent(await cookie.serialize('mine', { maxAge: 60 }))
    let verify = vi.spyOn(crypto.subtle, 'verify')
    expect(await cookie.parse(header)).toBe('mine')
    expect(verify).not.toHaveBeenCalled()
    let signature = header.slice(header.lastIndexOf('.'))
    let swapped = `s=${Buffer.from('yours').toString('base64url')}${signature}`
    expect(await cookie.parse(swapped)).toBeNull()
    expect(verify).toHaveBeenCalledTimes(1)
  })
})
