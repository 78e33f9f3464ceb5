import * as devalue from 'devalue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { createCookie } from '../cookie.ts'
import { edgeHash } from '../edge-hash.ts'
import { SessionTooLargeError } from '../session-too-large-error.ts'
import { createCookieSessionStorage } from './cookie.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describeSessionStorage(
  'createCookieSessionStorage',
  (options) => createCookieSessionStorage(options),
  {
    serverSide: false,
    reopens: true,
  },
)

describe('createCookieSessionStorage', () => {
  it('refuses to save a session too large for a cookie, naming its size and the keys that grew', async () => {
    let storage = createCookieSessionStorage()
    let session = await storage.read(null)
    session.set('blob', 'x'.repeat(5000))
    session.flash('notice', 'hi')
    let error = await storage.save(session).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SessionTooLargeError)
    expect(error).toMatchObject({
      limit: 4096,
      changedKeys: [
        { key: 'blob', size: 5002 },
        { key: 'flash:notice', size: 4 },
      ],
    })
    expect(String(error)).toMatch(
      /^SessionTooLargeError: The session needs \d+ bytes, over the 4096 bytes a browser keeps in a cookie. Keys this request changed: blob \(5002 bytes\), flash:notice \(4 bytes\).*server-side session storage/,
    )
  })

  it('warns once per storage that regenerateId(true) cannot invalidate the old cookie', async () => {
    let warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    let storage = createCookieSessionStorage()
    for (let round = 0; round < 3; round++) {
      let session = await storage.read(null)
      session.set('user', 'ada')
      session.regenerateId(true)
      expect(await storage.save(session)).toMatch(new RegExp(`^${session.id}`))
    }
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain(
      'regenerateId(true) cannot invalidate the old cookie',
    )
    let other = createCookieSessionStorage()
    let session = await other.read(null)
    session.regenerateId(true)
    await other.save(session)
    expect(warn).toHaveBeenCalledTimes(2)
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

  it('parses none of the values it saved when they come back, many sessions saved in one millisecond', async () => {
    // Many users' requests save sessions holding the same data in the same millisecond: their
    // values differ only in their ids.
    vi.useFakeTimers({ toFake: ['Date'], now: 1_796_027_240_550 })
    try {
      let storage = createCookieSessionStorage()
      let saved: string[] = []
      for (let user = 0; user < 12; user++) {
        let session = await storage.read(null)
        session.set('before', 'b'.repeat(40))
        session.set('count', 1)
        session.set('after', 'a'.repeat(40))
        saved.push((await storage.save(session)) as string)
      }
      expect(new Set(saved.map((value) => value.slice(32))).size).toBe(1)
      let parse = vi.spyOn(JSON, 'parse')
      for (let round = 0; round < 2; round++) {
        for (let value of saved) {
          // The second round reads an equal string, not the one the save returned.
          let sentBack = round === 0 ? value : `${value} `.slice(0, -1)
          expect((await storage.read(sentBack)).id).toBe(value.slice(0, 32))
        }
      }
      expect(parse).not.toHaveBeenCalled()
    } finally {
      vi.useRealTimers()
    }
  })

  it('reads each value that parallel saves of one session gave in one millisecond as it was saved', async () => {
    // Parallel requests that carried one cookie each save their own change in the same
    // millisecond: the values differ only in their middle, so the storage's cache keeps the last
    // one saved (the one the browser keeps, when the responses arrive in that order), and parses
    // the others again, never answering one with another's data.
    vi.useFakeTimers({ toFake: ['Date'], now: 1_796_027_240_550 })
    try {
      let storage = createCookieSessionStorage()
      let first = await storage.read(null)
      first.set('before', 'b'.repeat(40))
      first.set('count', 10)
      first.set('after', 'a'.repeat(40))
      let sent = (await storage.save(first)) as string
      let saved: string[] = []
      for (let tab = 0; tab < 12; tab++) {
        let session = await storage.read(sent)
        session.set('count', 10 + tab)
        saved.push((await storage.save(session)) as string)
      }
      expect(new Set(saved).size).toBe(12)
      expect(new Set(saved.map((value) => value.length)).size).toBe(1)
      let parse = vi.spyOn(JSON, 'parse')
      expect((await storage.read(saved[11] as string)).get('count')).toBe(21)
      expect(parse).not.toHaveBeenCalled()
      for (let [tab, value] of saved.entries()) {
        expect((await storage.read(value)).get('count')).toBe(10 + tab)
      }
      expect(parse).toHaveBeenCalled()
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps a cookie a client sent parsed while 300 other sessions save', async () => {
    let writer = createCookieSessionStorage()
    let session = await writer.read(null)
    session.set('cart', ['A-1'])
    let value = (await writer.save(session)) as string
    // Another process: it parses the cookie it did not write, then serves other users.
    let storage = createCookieSessionStorage()
    expect((await storage.read(value)).get('cart')).toEqual(['A-1'])
    for (let user = 0; user < 300; user++) {
      let other = await storage.read(null)
      other.set('user', user)
      await storage.save(other)
    }
    let parse = vi.spyOn(JSON, 'parse')
    expect((await storage.read(value)).get('cart')).toEqual(['A-1'])
    expect(parse).not.toHaveBeenCalled()
  })

  it('keeps long values parsed: read again after others, none is parsed again', async () => {
    let writer = createCookieSessionStorage()
    let values: string[] = []
    for (let user = 0; user < 3; user++) {
      let session = await writer.read(null)
      session.set('notes', `${user}`.repeat(300))
      values.push((await writer.save(session)) as string)
    }
    expect(values.every((value) => value.length > 300)).toBe(true)
    // Another process: it parses each cookie once, then reads them in turn.
    let storage = createCookieSessionStorage()
    for (let value of values) await storage.read(value)
    let parse = vi.spyOn(JSON, 'parse')
    for (let round = 0; round < 3; round++) {
      for (let [user, value] of values.entries()) {
        expect((await storage.read(value)).get('notes')).toBe(`${user}`.repeat(300))
      }
    }
    // The writer found its own values among those it wrote.
    for (let [user, value] of values.entries()) {
      expect((await writer.read(value)).get('notes')).toBe(`${user}`.repeat(300))
    }
    expect(parse).not.toHaveBeenCalled()
  })

  it('parses a value sharing its cache key with one read before, and reads its own data', async () => {
    let writer = createCookieSessionStorage()
    let session = await writer.read(null)
    session.set('role', 'user')
    session.set('notes', 'n'.repeat(300))
    let value = (await writer.save(session)) as string
    let storage = createCookieSessionStorage()
    expect((await storage.read(value)).get('role')).toBe('user')
    // Only a signed cookie can carry it; the storage alone must still tell the two apart.
    let other = value.replace('"user"', '"root"')
    // The same length, start and end: the same key in the storage's cache (see parsedValues).
    expect(edgeHash(other, 24, 8)).toBe(edgeHash(value, 24, 8))
    expect((await storage.read(other)).get('role')).toBe('root')
  })

  it('writes the session, not what a toJSON other code put on the prototypes returns', async () => {
    let storage = createCookieSessionStorage()
    let session = await storage.read(null)
    session.set('role', 'user')
    session.set('count', 1)
    // Written in JSON form before the prototypes change.
    let first = (await storage.save(session)) as string
    let value: string
    try {
      for (let prototype of [Object.prototype, Array.prototype]) {
        Object.defineProperty(prototype, 'toJSON', {
          value: () => ({ role: 'admin' }),
          configurable: true,
        })
      }
      // A counter alone changed: the save that rewrites only what changed.
      let again = await storage.read(first)
      again.set('count', 2)
      value = (await storage.save(again)) as string
      // A new session: written whole.
      let other = await storage.read(null)
      other.set('role', 'user')
      expect(
        (await createCookieSessionStorage().read((await storage.save(other)) as string)).get(
          'role',
        ),
      ).toBe('user')
    } finally {
      for (let prototype of [Object.prototype, Array.prototype]) {
        delete (prototype as { toJSON?: unknown }).toJSON
      }
    }
    // Another process, which parses the cookie.
    expect((await createCookieSessionStorage().read(value)).data[0]).toEqual({
      role: 'user',
      count: 2,
    })
  })

  it('writes a hole in an array as a hole, whatever other code put at its index on the prototype', async () => {
    let storage = createCookieSessionStorage()
    let session = await storage.read(null)
    let value: string
    try {
      Object.defineProperty(Array.prototype, 1, {
        value: 'injected',
        configurable: true,
        writable: true,
      })
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point
      session.set('list', [1, , 3])
      value = (await storage.save(session)) as string
    } finally {
      delete (Array.prototype as unknown as Record<number, unknown>)[1]
    }
    let list = (await createCookieSessionStorage().read(value)).get('list') as unknown[]
    expect(list).toHaveLength(3)
    expect(1 in list).toBe(false)
  })

  it('writes plain JSON data as JSON after the tag J, and reads values of earlier versions', async () => {
    let storage = createCookieSessionStorage()
    let session = await storage.read(null)
    session.set('cart', [{ sku: 'A-1', quantity: 2 }])
    let value = (await storage.save(session)) as string
    expect(value.slice(32)).toMatch(
      /^J\[\{"cart":\[\{"sku":"A-1","quantity":2\}\]\},\{\},\d+,\d+\]$/,
    )
    // What earlier versions wrote: devalue's format.
    let earlier = `${value.slice(0, 32)}${devalue.stringify([{ at: new Date(0) }, {}, Date.now(), Date.now()])}`
    expect((await createCookieSessionStorage().read(earlier)).get('at')).toEqual(new Date(0))
  })

  it('keeps an object shared with a typed array one object, whichever value is read first', async () => {
    let writer = createCookieSessionStorage()
    let session = await writer.read(null)
    let shared = { n: 1 }
    session.set('v', shared)
    session.set('w', { shared, bytes: new Uint8Array(1) })
    let value = (await writer.save(session)) as string
    for (let storage of [writer, createCookieSessionStorage()]) {
      let read = await storage.read(value)
      let v = read.get('v')
      expect((read.get('w') as { shared: object }).shared).toBe(v)
    }
  })

  it('copies a cookie another process wrote as devalue would, shared objects and typed arrays too', async () => {
    let writer = createCookieSessionStorage()
    let session = await writer.read(null)
    let inner = { bytes: new Uint8Array([1]), n: { v: 1 } }
    session.set('a', { inner })
    session.set('b', inner)
    let value = (await writer.save(session)) as string
    // Another process: it parses the cookie it never wrote.
    let storage = createCookieSessionStorage()
    let first = await storage.read(value)
    let a = first.get('a') as { inner: typeof inner }
    expect(a.inner).toBe(first.get('b'))
    a.inner.n.v = 99
    a.inner.bytes[0] = 9
    let second = await storage.read(value)
    expect(second.get('b')).toEqual({ bytes: new Uint8Array([1]), n: { v: 1 } })
    first.set('other', 1)
    let saved = (await storage.save(first)) as string
    let fresh = await createCookieSessionStorage().read(saved)
    expect(fresh.get('b')).toEqual({ bytes: new Uint8Array([1]), n: { v: 1 } })
  })

  it('rewrites only what changed in the value it wrote: each save reads back exactly, in another process too', async () => {
    let storage = createCookieSessionStorage()
    let first = await storage.read(null)
    let cart = [{ sku: 'A-1', quantity: 2 }]
    first.set('cart', cart)
    first.set('since', new Date(0))
    // `name` before `visits`: a name of another length moves the entry rewritten next.
    first.set('name', 'ada')
    first.set('visits', 0)
    let values: string[] = [(await storage.save(first)) as string]
    // Whether each value holds the flash value `notice` (set at the sixth request, read at the seventh).
    let withNotice = new Map([[values[0], false]])
    for (let visit = 1; visit <= 12; visit++) {
      // A second tab (every fourth request) sends an older cookie: its save starts from that one.
      let sent = visit % 4 === 0 ? (values.at(-2) as string) : (values.at(-1) as string)
      let session = await storage.read(sent)
      let visits = session.get('visits') as number
      // A number that gains a digit every other request.
      session.set('visits', visits * 3 + 1)
      if (visit % 3 === 0) session.set('name', `ada "${visit}" é`)
      if (visit === 6) session.flash('notice', 'saved')
      if (visit === 7) expect(session.get('notice')).toBe('saved')
      if (visit === 9)
        (session.get('cart') as typeof cart)[0] = { sku: 'changed in place', quantity: 0 }
      let value = (await storage.save(session)) as string
      values.push(value)
      let notice = visit === 6 || (visit !== 7 && withNotice.get(sent) === true)
      withNotice.set(value, notice)
      let expected = {
        cart,
        since: new Date(0),
        visits: visits * 3 + 1,
        name: visit % 3 === 0 ? `ada "${visit}" é` : session.get('name'),
      }
      for (let reader of [storage, createCookieSessionStorage()]) {
        let read = await reader.read(value)
        expect(
          Object.fromEntries(
            ['cart', 'since', 'visits', 'name'].map((key) => [key, read.get(key)]),
          ),
        ).toEqual(expected)
        expect(read.has('notice')).toBe(notice)
      }
    }
    expect(values.slice(1).every((value) => !value.slice(32).startsWith('J'))).toBe(true)
  })

  it('keeps an object a value and a flash value share one object, here as in another process', async () => {
    let storage = createCookieSessionStorage()
    let session = await storage.read(null)
    let shared = { n: 1 }
    session.set('a', shared)
    session.flash('b', shared)
    // Only devalue writes a typed array: the record's copy falls back to its round trip.
    session.flash('c', new Uint8Array([1]))
    let value = (await storage.save(session)) as string
    for (let reader of [storage, createCookieSessionStorage()]) {
      let read = await reader.read(value)
      expect(read.get('a')).toEqual({ n: 1 })
      expect(read.get('a')).toBe(read.get('b'))
    }
  })

  it('shares no object between requests that read the same cookie value, nor with what it saved', async () => {
    let storage = createCookieSessionStorage()
    let first = await storage.read(null)
    let cart = { items: ['apple'], at: new Date(0), tags: new Map([['a', 1]]) }
    first.set('cart', cart)
    let value = (await storage.save(first)) as string
    cart.items.push('changed after the save')
    let [one, two] = [await storage.read(value), await storage.read(value)]
    let mine = one.get('cart') as typeof cart
    mine.items.push('changed in place')
    mine.tags.set('b', 2)
    expect(two.get('cart')).toEqual({
      items: ['apple'],
      at: new Date(0),
      tags: new Map([['a', 1]]),
    })
    expect((await storage.read(value)).get('cart')).toEqual(two.get('cart'))
  })
})
