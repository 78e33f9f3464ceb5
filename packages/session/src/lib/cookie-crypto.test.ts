import { describe, expect, it } from 'vitest'
import { CookieCrypto } from './cookie-crypto.ts'
import { nativeCrypto } from './native.ts'

const secrets = ['first-secret-that-is-32-characters', 'older-secret-that-is-32-characters']

/** `payload` signed by `cookieCrypto` for the cookie `name`, as a cookie carries it. */
async function sign(cookieCrypto: CookieCrypto, name: string, payload: string): Promise<string> {
  return `${payload}.${await cookieCrypto.signature(name, payload)}`
}

// Node, Bun and Deno sign with Node's crypto; other runtimes with Web Crypto. A cookie made by one
// must be read by the other, or moving an app between runtimes would sign everyone out.
describe('CookieCrypto across its two implementations', () => {
  let native = new CookieCrypto(secrets, nativeCrypto)
  let web = new CookieCrypto(secrets, null)

  it('runs on Node with the native implementation available, and the web one really is Web Crypto', () => {
    expect(nativeCrypto).toBeDefined()
    expect(typeof native.signature('s', 'payload')).toBe('string') // Node's crypto answers at once
    expect(web.signature('s', 'payload')).toBeInstanceOf(Promise) // Web Crypto is asynchronous
  })

  it('produces the same signature and verifies each other', async () => {
    let signed = await sign(native, 's', 'payload')
    expect(await sign(web, 's', 'payload')).toBe(signed)
    expect(await web.verify('s', signed)).toBe('payload')
    expect(await native.verify('s', await sign(web, 's', 'other'))).toBe('other')
    expect(await native.verify('t', signed)).toBeNull()
    expect(await web.verify('t', signed)).toBeNull()
  })

  it('decrypts what the other encrypted, and refuses a changed byte', async () => {
    let fromNative = await native.encrypt('s', 'secret ✓')
    let fromWeb = await web.encrypt('s', 'secret ✓')
    expect(await web.decrypt('s', fromNative)).toBe('secret ✓')
    expect(await native.decrypt('s', fromWeb)).toBe('secret ✓')
    let flipped = `${fromNative.slice(0, -2)}${fromNative.at(-2) === 'A' ? 'B' : 'A'}${fromNative.at(-1)}`
    expect(await native.decrypt('s', flipped)).toBeNull()
    expect(await web.decrypt('s', flipped)).toBeNull()
    expect(await native.decrypt('other-name', fromNative)).toBeNull()
  })

  it('signs alike with a secret longer than a SHA-256 block (64 bytes), hashed first by HMAC', async () => {
    let long = ['l'.repeat(88), 'ü'.repeat(40)] // 88 bytes, and 80 bytes of UTF-8
    let signed = await sign(new CookieCrypto(long, nativeCrypto), 's', 'payload')
    expect(await sign(new CookieCrypto(long, null), 's', 'payload')).toBe(signed)
    expect(await new CookieCrypto(long.toReversed(), null).verify('s', signed)).toBe('payload')
    expect(await new CookieCrypto(long.toReversed(), nativeCrypto).verify('s', signed)).toBe(
      'payload',
    )
  })

  it('verifies and decrypts with an older secret (rotation)', async () => {
    let old = new CookieCrypto([secrets[1] as string], nativeCrypto)
    expect(await web.verify('s', await sign(old, 's', 'v'))).toBe('v')
    expect(await native.decrypt('s', await old.encrypt('s', 'v'))).toBe('v')
  })
})
