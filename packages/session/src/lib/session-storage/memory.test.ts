import * as devalue from 'devalue'
import { describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { createCookie } from '../cookie.ts'
import { boundIndexes, createMemorySessionStorage, type Entry } from './memory.ts'

const cookie = createCookie('session', { secrets: [secret] })

describeSessionStorage(
  'createMemorySessionStorage',
  (options) => createMemorySessionStorage(options),
  {
    serverSide: true,
    reopens: false,
  },
)

describe('createMemorySessionStorage', () => {
  it('keeps at most maxSessions, dropping the least recently used', async () => {
    let storage = createMemorySessionStorage({ maxSessions: 3 })
    let ids: string[] = []
    for (let index = 0; index < 5; index++) {
      let session = await storage.read(null)
      session.set('n', index)
      ids.push((await storage.save(session)) as string)
    }
    let survivors = await Promise.all(ids.map(async (id) => (await storage.read(id)).get('n')))
    expect(survivors).toEqual([undefined, undefined, 2, 3, 4])
  })

  it('keeps a session read between new ones, however many come past maxSessions', async () => {
    let storage = createMemorySessionStorage({ maxSessions: 3 })
    let kept = await storage.read(null)
    kept.set('user', 'ada')
    let id = (await storage.save(kept)) as string
    let others: string[] = []
    for (let index = 0; index < 20; index++) {
      let session = await storage.read(null)
      session.set('n', index)
      others.push((await storage.save(session)) as string)
      expect((await storage.read(id)).get('user')).toBe('ada')
    }
    let survivors = await Promise.all(
      others.map(async (other) => (await storage.read(other)).get('n')),
    )
    expect(survivors.filter((n) => n !== undefined)).toEqual([18, 19])
  })

  it('does not grow on requests that never change their session', async () => {
    let storage = createMemorySessionStorage({ maxSessions: 1 })
    let kept = await storage.read(null)
    kept.set('user', 'ada')
    let id = (await storage.save(kept)) as string
    for (let index = 0; index < 1000; index++) {
      let session = await storage.read(index % 2 === 0 ? null : `bogus-${index}`)
      expect(await storage.save(session)).toBeNull()
    }
    expect((await storage.read(id)).get('user')).toBe('ada')
  })

  it('never drops a user index for room, so destroyUserSessions ends sessions kept in use', async () => {
    let storage = createMemorySessionStorage({ maxSessions: 3, userKey: 'userId' })
    let user = new Browser(storage, cookie)
    await user.request((session) => session.set('userId', 'ada'))
    for (let cart = 0; cart < 10; cart++) {
      await new Browser(storage, cookie).request((session) => session.set('cart', cart))
      await user.request((session) => expect(session.get('userId')).toBe('ada'))
    }
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    await user.request((session) => expect(session.get('userId')).toBeUndefined())
  })

  it('stores a copy at save: what the request changes in place afterwards is not stored', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    let cart = { items: ['apple'], at: new Date(0), tags: new Set(['a']) }
    session.set('cart', cart)
    let id = (await storage.save(session)) as string
    cart.items.push('pear')
    cart.tags.add('b')
    expect((await storage.read(id)).get('cart')).toEqual({
      items: ['apple'],
      at: new Date(0),
      tags: new Set(['a']),
    })
  })

  it('gives each request its own copy: a change in place reaches no other request', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    session.set('cart', { items: ['apple'], prefs: new Map([['theme', 'dark']]) })
    let id = (await storage.save(session)) as string
    let [one, two] = await Promise.all([storage.read(id), storage.read(id)])
    let mine = one.get('cart') as { items: string[]; prefs: Map<string, string> }
    mine.items.push('pear')
    mine.prefs.set('theme', 'light')
    one.set('visits', 1)
    await storage.save(one)
    expect(two.get('cart')).toEqual({ items: ['apple'], prefs: new Map([['theme', 'dark']]) })
    expect((await storage.read(id)).get('cart')).toEqual(two.get('cart'))
    expect((await storage.read(id)).get('visits')).toBe(1)
  })

  it('copies each value on first read: shared objects stay shared, a value read twice is one object', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    let shared = { n: 1 }
    session.set('a', { shared })
    session.set('b', shared)
    session.flash('note', shared)
    let id = (await storage.save(session)) as string
    let read = await storage.read(id)
    let b = read.get('b') as { n: number }
    expect(b).toEqual({ n: 1 })
    expect((read.get('a') as { shared: object }).shared).toBe(b)
    expect(read.get('b')).toBe(b)
    expect(read.data[0].b).toBe(b)
    expect(read.get('note')).toBe(b)
    b.n = 2
    read.set('visits', 1)
    await storage.save(read)
    let next = await storage.read(id)
    expect(next.get('a')).toEqual({ shared: { n: 1 } })
    expect(next.get('b')).toEqual({ n: 1 })
    expect(next.get('visits')).toBe(1)
  })

  it('keeps an object a value and a flash value share one object when a typed array sends the save to devalue', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    let shared = { n: 1 }
    session.set('a', shared)
    session.flash('b', shared)
    session.flash('c', new Uint8Array([1]))
    let id = (await storage.save(session)) as string
    let next = await storage.read(id)
    expect(next.get('a')).toEqual({ n: 1 })
    expect(next.get('a')).toBe(next.get('b'))
  })

  it('copies a record holding what only devalue copies (a typed array) whole, as devalue would', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    let shared = { n: 1 }
    session.set('a', { bytes: new Uint8Array([1, 2]), shared })
    session.set('b', shared)
    let id = (await storage.save(session)) as string
    let read = await storage.read(id)
    let a = read.get('a') as { bytes: Uint8Array; shared: { n: number } }
    expect(a.shared).toBe(read.get('b'))
    a.bytes[0] = 9
    a.shared.n = 2
    read.set('visits', 1)
    await storage.save(read)
    let next = await storage.read(id)
    expect(next.get('a')).toEqual({ bytes: new Uint8Array([1, 2]), shared: { n: 1 } })
    expect(next.get('visits')).toBe(1)
  })

  it('stores no key a polluted Object.prototype makes enumerable', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    session.set('cart', { items: ['apple'] })
    let prototype = Object.prototype as Record<string, unknown>
    try {
      prototype.polluted = { evil: true }
      let id = (await storage.save(session)) as string
      let [values] = (await storage.read(id)).data
      expect(Object.keys(values)).toEqual(['cart'])
      expect(Object.keys(values.cart as object)).toEqual(['items'])
    } finally {
      delete prototype.polluted
    }
  })

  it('keeps an object shared with a value only devalue copies one object (a typed array, a sparse array)', async () => {
    let sparse = [1, 2, 3]
    delete sparse[1]
    for (let odd of [new Uint8Array(1), sparse]) {
      let storage = createMemorySessionStorage()
      let session = await storage.read(null)
      let shared = { n: 1 }
      session.set('v', shared)
      session.set('w', { shared, odd })
      session.flash('f', { shared })
      let id = (await storage.save(session)) as string
      let read = await storage.read(id)
      let v = read.get('v')
      expect((read.get('w') as { shared: object }).shared).toBe(v)
      expect((read.get('f') as { shared: object }).shared).toBe(v)
      expect((read.get('w') as { odd: unknown }).odd).toEqual(odd)
    }
  })

  it('copies as devalue would once Object.prototype is polluted after the save, and adds no key', async () => {
    let storage = createMemorySessionStorage()
    let session = await storage.read(null)
    let shared = { n: 1 }
    session.set('a', { shared })
    session.set('b', shared)
    let id = (await storage.save(session)) as string
    let prototype = Object.prototype as Record<string, unknown>
    try {
      prototype.polluted = { evil: true }
      let read = await storage.read(id)
      let a = read.get('a') as { shared: { n: number } }
      expect(read.get('a')).toBe(a)
      expect(a.shared).toBe(read.get('b'))
      expect(Object.keys(a)).toEqual(['shared'])
      a.shared.n = 2
      expect((await storage.read(id)).get('b')).toEqual({ n: 1 })
    } finally {
      delete prototype.polluted
    }
  })

  it('refuses at save a value nested deeper than devalue reads back, or lists and ends its session', async () => {
    let storage = createMemorySessionStorage({ userKey: 'user' })
    let deep: unknown = new Date(0)
    for (let level = 0; level < 2500; level++) deep = [deep]
    let session = await storage.read(null)
    session.set('user', 'ada')
    session.set('prefs', deep)
    let id: string
    try {
      id = (await storage.save(session)) as string
    } catch {
      return // refused at save: devalue refuses it too
    }
    expect(await storage.listUserSessions('ada')).toHaveLength(1)
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    expect((await storage.read(id)).get('user')).toBeUndefined()
  })

  it('refuses a maxSessions that is not a positive integer', () => {
    expect(() => createMemorySessionStorage({ maxSessions: 0 })).toThrow(TypeError)
  })
})

describe('createMemorySessionStorage user indexes', () => {
  it('keeps at most maxSessions user indexes after logins of 1,000 users, and each kept session stays listed', async () => {
    let storage = createMemorySessionStorage({ userKey: 'userId', maxSessions: 10 })
    for (let user = 0; user < 1000; user++) {
      await new Browser(storage, cookie).request((session) => session.set('userId', user))
    }
    // The 10 sessions kept are the 10 last users': each is still ended by destroyUserSessions.
    for (let user = 990; user < 1000; user++) {
      expect(await storage.destroyUserSessions(user)).toBe(1)
    }
    // The helper the storage runs on each index write, on its own: 11 indexes, 10 allowed, only
    // the one listing no kept session goes.
    let entry = (ids: string[]): Entry => ({
      data: devalue.stringify([1, 0, ids.map((id) => [id, Number.POSITIVE_INFINITY, 0])]),
      expires: Number.POSITIVE_INFINITY,
    })
    let sessions = new Map<string, Entry>()
    let indexes = new Map<string, Entry>()
    for (let n = 0; n < 11; n++) {
      let id = `${n}`.padEnd(32, 's')
      if (n !== 3) sessions.set(id, entry([]))
      indexes.set(`user.${n}`, entry([id]))
    }
    boundIndexes(indexes, sessions, 10)
    expect(indexes.size).toBe(10)
    expect(indexes.has('user.3')).toBe(false)
  })
})
