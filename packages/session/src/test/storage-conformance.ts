import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createCookie } from '../lib/cookie.ts'
import type { ServerSessionStorage, ServerStorageOptions } from '../lib/server-storage.ts'
import type { Session } from '../lib/session.ts'
import { SessionValueError } from '../lib/session-schema.ts'
import type { SessionStorage } from '../lib/session-storage.ts'
import { Browser } from './browser.ts'
import { itListsUserSessions } from './user-sessions-conformance.ts'

/** Creates the storage under test. Storages made in one test share their data when `reopens`. */
export type StorageFactory = (options?: ServerStorageOptions) => SessionStorage & {
  destroyUserSessions?(user: string | number | bigint): Promise<number>
  listUserSessions?: ServerSessionStorage['listUserSessions']
  destroySessionByHandle?(user: string | number | bigint, handle: string): Promise<boolean>
  /** File storage: deletes expired files, as an app's timer would. */
  prune?(): Promise<number>
}

/** What sets a storage apart, so the suite checks each storage for what it promises. */
export interface StorageTraits {
  /** Data lives on the server, keyed by an id in the cookie (not in the cookie itself). */
  serverSide: boolean
  /** A second storage made by the factory in the same test sees the first one's data. */
  reopens: boolean
}

export const secret = 'a-test-secret-that-is-32-chars-long!'
const cookie = createCookie('session', { secrets: [secret] })
const day = 86_400_000

/**
 * The behaviours every session storage must have. Each storage's test file calls this with a
 * factory; Hono's shared router suite is the model.
 */
export function describeSessionStorage(
  name: string,
  factory: StorageFactory,
  traits: StorageTraits,
): void {
  describe(`${name}: the storage conformance suite`, () => {
    beforeEach(() => {
      // Only Date is faked, starting from the real time: a real Redis expires keys by its own clock.
      vi.useFakeTimers({ toFake: ['Date'] })
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    itKeepsValues(factory)
    itKeepsFlashAndDestroys(factory, traits)
    itGuardsIdsAndExpiry(factory, traits)
    itChecksSchemas(factory, traits)
    if (traits.serverSide) itSharesServerState(factory)
    if (traits.serverSide) itSendsTheIdWhenItMust(factory)
    // Server storages only: cookie storage keeps no server state.
    if (traits.serverSide) {
      describe('destroyUserSessions', () => {
        itEndsUserSessions(factory)
        itCapsByLastUse(factory)
        itCountsUserSessions(factory)
      })
      describe('listUserSessions and destroySessionByHandle', () => {
        itListsUserSessions(factory, cookie)
      })
      describe('regenerateId(true) with requests in flight', () => {
        itKeepsLoginsFromRequestsInFlight(factory)
        itEndsOldIdsAndLateRequests(factory)
      })
    }
    if (traits.serverSide) itDoesNotRevive(factory)
  })
}

/** Values: kept, removed, serialized, and copied when handed out. */
function itKeepsValues(factory: StorageFactory): void {
  it('starts a fresh session without storing it or sending a cookie until it changes', async () => {
    let browser = new Browser(factory(), cookie)
    let id = await browser.request((session) => {
      expect(session.size).toBe(0)
      expect(session.dirty).toBe(false)
      return session.id
    })
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(browser.lastSetCookie).toBeUndefined()
  })

  it('keeps values across requests, and removes them with unset or set(key, null)', async () => {
    let browser = new Browser(factory(), cookie)
    await browser.request((session) => {
      session.set('user', 'ada')
      session.set('theme', 'dark')
      session.set('lang', 'en')
    })
    await browser.request((session) => {
      expect([session.get('user'), session.get('theme'), session.get('lang')]).toEqual([
        'ada',
        'dark',
        'en',
      ])
      session.unset('theme')
      session.set('lang', null)
    })
    await browser.request((session) => {
      expect(session.data[0]).toEqual({ user: 'ada' })
      expect(session.has('theme')).toBe(false)
    })
  })

  it('round-trips Date, Map, Set, BigInt, URL, RegExp, undefined and shared references', async () => {
    let browser = new Browser(factory(), cookie)
    let shared = { n: 1 }
    await browser.request((session) => {
      session.set('value', {
        date: new Date('2020-02-02T00:00:00Z'),
        map: new Map([['a', 1]]),
        set: new Set([1, 2]),
        big: 12345678901234567890n,
        url: new URL('https://example.com/x?y=1'),
        regex: /ab+c/gi,
        missing: undefined,
        left: shared,
        right: shared,
      })
    })
    await browser.request((session) => {
      let value = session.get('value') as Record<string, unknown>
      expect(value.date).toEqual(new Date('2020-02-02T00:00:00Z'))
      expect(value.map).toEqual(new Map([['a', 1]]))
      expect(value.set).toEqual(new Set([1, 2]))
      expect(value.big).toBe(12345678901234567890n)
      expect(value.url).toEqual(new URL('https://example.com/x?y=1'))
      expect(value.regex).toEqual(/ab+c/gi)
      expect('missing' in value && value.missing === undefined).toBe(true)
      expect(value.left).toBe(value.right)
    })
  })

  it('stores what the session holds while other code has put a toJSON on the prototypes', async () => {
    let browser = new Browser(factory(), cookie)
    let injected = () => ({ role: 'admin' })
    try {
      for (let prototype of [Object.prototype, Array.prototype]) {
        Object.defineProperty(prototype, 'toJSON', { value: injected, configurable: true })
      }
      await browser.request((session) => {
        session.set('role', 'user')
        session.set('cart', [{ sku: 'A-1', quantity: 2 }])
        session.set('count', 1)
      })
      // A counter alone changed: the save that rewrites only what changed.
      await browser.request((session) => session.set('count', 2))
    } finally {
      for (let prototype of [Object.prototype, Array.prototype]) {
        delete (prototype as { toJSON?: unknown }).toJSON
      }
    }
    await browser.request((session) => {
      expect(session.data[0]).toEqual({
        role: 'user',
        cart: [{ sku: 'A-1', quantity: 2 }],
        count: 2,
      })
    })
  })

  it('refuses at save a value devalue cannot serialize, such as a function', async () => {
    let storage = factory()
    let session = await storage.read(null)
    session.set('callback', () => 1)
    await expect(storage.save(session)).rejects.toThrow(/Cannot stringify a function/)
  })

  it('hands out copies: changing an object from get() without set() stores nothing', async () => {
    let browser = new Browser(factory(), cookie)
    await browser.request((session) => session.set('cart', { items: ['apple'] }))
    await browser.request((session) => {
      ;(session.get('cart') as { items: string[] }).items.push('pear')
      session.set('other', 1)
    })
    await browser.request((session) => {
      expect(session.get('cart')).toEqual({ items: ['apple'] })
    })
  })
}

/** Flash values, and destroy. */
function itKeepsFlashAndDestroys(factory: StorageFactory, traits: StorageTraits): void {
  it('hands out copies through data too: changing an object from it stores nothing', async () => {
    let browser = new Browser(factory(), cookie)
    await browser.request((session) => session.set('cart', { items: ['apple'] }))
    await browser.request((session) => {
      ;(session.data[0].cart as { items: string[] }).items.push('pear')
      session.set('other', 1)
    })
    await browser.request((session) => {
      expect(session.get('cart')).toEqual({ items: ['apple'] })
      expect(session.get('other')).toBe(1)
    })
  })

  it('keeps a flash value until a request reads it, however many requests come between', async () => {
    let browser = new Browser(factory(), cookie)
    await browser.request((session) => session.flash('notice', 'Logged in'))
    await browser.request(() => {}) // /favicon.ico: does not read the flash
    await browser.request((session) => expect(session.has('notice')).toBe(true))
    await browser.request((session) => expect(session.get('notice')).toBe('Logged in'))
    await browser.request((session) => expect(session.get('notice')).toBeUndefined())
  })

  it('makes a flash value readable from the next request, not the one that set it', async () => {
    let browser = new Browser(factory(), cookie)
    await browser.request((session) => {
      session.flash('notice', 'Saved')
      expect(session.get('notice')).toBeUndefined()
    })
    await browser.request((session) => expect(session.get('notice')).toBe('Saved'))
  })

  it('clears the cookie on destroy with an expiring Set-Cookie', async () => {
    let browser = new Browser(factory(), cookie)
    await browser.request((session) => session.set('user', 'ada'))
    let before = browser.cookieHeader
    await browser.request((session) => session.destroy())
    expect(browser.lastSetCookie).toMatch(/^session=; /)
    expect(browser.lastSetCookie).toContain('Max-Age=0')
    expect(browser.lastSetCookie).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT')
    expect(browser.cookieHeader).toBeUndefined()
    if (traits.serverSide) {
      let replay = new Browser(factory(), cookie)
      replay.cookieHeader = before
      await replay.request((session) => expect(session.get('user')).toBeUndefined())
    }
  })
}

/** New ids, ids the client made up, bad cookie values, and both timeouts. */
function itGuardsIdsAndExpiry(factory: StorageFactory, traits: StorageTraits): void {
  it('keeps the data under a new id after regenerateId, and forgets the old id with (true)', async () => {
    let storage = factory()
    let browser = new Browser(storage, cookie)
    let oldId = await browser.request((session) => {
      session.set('cart', 3)
      return session.id
    })
    let oldCookie = browser.cookieHeader
    let newId = await browser.request((session) => {
      session.regenerateId(true)
      session.set('user', 'ada')
      return session.id
    })
    expect(newId).not.toBe(oldId)
    await browser.request((session) => {
      expect(session.id).toBe(newId)
      expect(session.data[0]).toEqual({ cart: 3, user: 'ada' })
    })
    if (traits.serverSide) {
      let attacker = new Browser(storage, cookie)
      attacker.cookieHeader = oldCookie
      await attacker.request((session) => {
        expect(session.id).not.toBe(oldId)
        expect(session.size).toBe(0)
      })
    }
  })

  it('never adopts a session id the client made up', async () => {
    let storage = factory()
    let planted = 'A'.repeat(32)
    let value = traits.serverSide ? planted : `${planted}[{},{}]`
    let browser = new Browser(storage, cookie)
    browser.cookieHeader = (await cookie.serialize(value)).split(';')[0]
    let id = await browser.request((session) => {
      session.set('user', 'ada')
      return session.id
    })
    expect(id).not.toBe(planted)
  })

  it.each([
    ['garbage', 'not a session at all'],
    ['an empty value', ''],
    ['a __proto__ payload', '[{"__proto__":1},{"polluted":true}]'],
    ['a truncated record', `${'B'.repeat(32)}[{"a":1},`],
    ['a huge value', 'x'.repeat(100_000)],
  ])('starts a fresh session for %s, signed or not, without throwing', async (_, raw) => {
    let storage = factory()
    let candidates = raw.length < 2000 ? [raw, await signed(raw)] : [raw]
    for (let value of candidates) {
      let session = await storage.read(await cookie.parse(`session=${value}`))
      expect(session.size).toBe(0)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }
  })

  it('ends a session after the idle timeout, and renews it while it is used', async () => {
    let storage = factory({ idleTimeout: 600 })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('user', 'ada'))
    for (let step = 0; step < 5; step++) {
      vi.advanceTimersByTime(400_000)
      await browser.request((session) => expect(session.get('user')).toBe('ada'))
    }
    let stale = browser.cookieHeader
    vi.advanceTimersByTime(600_000)
    await browser.request((session) => expect(session.get('user')).toBeUndefined())
    let replay = new Browser(storage, cookie)
    replay.cookieHeader = stale
    await replay.request((session) => expect(session.get('user')).toBeUndefined())
  })

  it('ends a session at its absolute lifetime, however active', async () => {
    let browser = new Browser(
      factory({ idleTimeout: 2 * 86_400, absoluteTimeout: 5 * 86_400 }),
      cookie,
    )
    await browser.request((session) => session.set('user', 'ada'))
    for (let dayNumber = 1; dayNumber < 5; dayNumber++) {
      vi.advanceTimersByTime(day)
      await browser.request((session) => {
        expect(session.get('user')).toBe('ada')
        session.set('seen', dayNumber)
      })
    }
    vi.advanceTimersByTime(day)
    await browser.request((session) => expect(session.get('user')).toBeUndefined())
  })
}

/** Schemas: refused values, and stored data a schema refuses (storages that reopen). */
function itChecksSchemas(factory: StorageFactory, traits: StorageTraits): void {
  it('gives a schema a copy: a transform that changes what it is given changes nothing stored', async () => {
    let schema = {
      values: {
        // Shifts the Date it is given by an hour, in place.
        at: z.date().transform((date) => {
          date.setTime(date.getTime() + 3_600_000)
          return date
        }),
      },
    }
    let browser = new Browser(factory({ schema }), cookie)
    await browser.request((session) => session.set('at', new Date(0)))
    let reads = []
    for (let count = 0; count < 3; count++) {
      reads.push(await browser.request((session) => (session.get('at') as Date).getTime()))
    }
    // Stored as given (01:00 after set's own check shifted the request's Date), shifted once per read.
    expect(new Set(reads).size).toBe(1)
  })

  it('hands out what a schema gives as it is, a class instance too', async () => {
    class Money {
      readonly cents: number
      constructor(cents: number) {
        this.cents = cents
      }
    }
    let schema = { values: { price: z.number().transform((cents) => new Money(cents)) } }
    let browser = new Browser(factory({ schema }), cookie)
    await browser.request((session) => session.set('price', 5))
    await browser.request((session) => {
      expect(session.get('price')).toEqual(new Money(5))
      expect(session.get('price')).toBe(session.get('price'))
    })
  })

  it('refuses a value that fails the schema at set(), naming the key', async () => {
    let storage = factory({ schema: { values: { count: z.number().int() } } })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => {
      session.set('count', 2)
      expect(() => session.set('count', 'two' as never)).toThrow(SessionValueError)
      expect(() => session.set('count', 1.5 as never)).toThrow(/Invalid session value for "count"/)
    })
    await browser.request((session) => expect(session.get('count')).toBe(2))
  })

  if (traits.reopens) {
    it("drops stored keys that fail the schema with invalidData: 'drop', and starts afresh with 'reset'", async () => {
      let loose = new Browser(factory(), cookie)
      await loose.request((session) => {
        session.set('count', 'not a number')
        session.set('name', 'ada')
      })
      let values = { count: z.number(), name: z.string() }
      let dropping = new Browser(factory({ schema: { values }, invalidData: 'drop' }), cookie)
      dropping.cookieHeader = loose.cookieHeader
      await dropping.request((session) => expect(session.data[0]).toEqual({ name: 'ada' }))
      let resetting = new Browser(factory({ schema: { values }, invalidData: 'reset' }), cookie)
      resetting.cookieHeader = loose.cookieHeader
      await resetting.request((session) => expect(session.size).toBe(0))
    })

    it('keeps stored values a new schema refuses, and applies a transform once, across saves', async () => {
      // A rolling deploy: sessions written by the old code reach code with a stricter schema.
      let before = new Browser(factory(), cookie)
      await before.request((session) => {
        session.set('legacy', 'x')
        session.set('name', 'ada')
      })
      let values = { name: z.string().transform((name) => `${name}!`), visits: z.number() }
      let after = new Browser(factory({ schema: { values } }), cookie)
      after.cookieHeader = before.cookieHeader
      for (let visit = 1; visit <= 3; visit++) {
        await after.request((session) => {
          expect(session.get('name')).toBe('ada!')
          session.set('visits', visit)
        })
      }
      before.cookieHeader = after.cookieHeader
      await before.request((session) =>
        expect(session.data[0]).toEqual({ legacy: 'x', name: 'ada', visits: 3 }),
      )
    })
  }
}

/** Server storages: unknown ids, concurrent saves, and signing one user out. */
/** Server storages: the cookie holds only the id, sent when it is new or the session renews. */
function itSendsTheIdWhenItMust(factory: StorageFactory): void {
  it('sends the cookie for a new id and once per renewal, not for every change', async () => {
    let storage = factory({ idleTimeout: 600 })
    // Max-Age as long as the idle timeout: the browser drops the cookie when it ends.
    let browser = new Browser(storage, createCookie('session', { secrets: [secret], maxAge: 600 }))
    await browser.request((session) => session.set('visits', 0))
    expect(browser.lastSetCookie).toMatch(/^session=/)
    let sent: number[] = []
    // Forty changes 30 s apart: twenty minutes, twice the idle timeout.
    for (let step = 1; step <= 40; step++) {
      vi.advanceTimersByTime(30_000)
      await browser.request((session) => {
        expect(session.get('visits')).toBe(step - 1)
        session.set('visits', step)
      })
      if (browser.lastSetCookie !== undefined) sent.push(step)
    }
    // Renewed once per tenth of the idle timeout (60 s): every other request.
    expect(sent).toEqual(Array.from({ length: 20 }, (_, index) => 2 * index + 2))
    await browser.request((session) => expect(session.get('visits')).toBe(40))
  })

  it('ends a session when the cookie it last sent ends: changes between renewals do not extend it', async () => {
    let storage = factory({ idleTimeout: 600 })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('user', 'ada'))
    let sent = browser.cookieHeader
    vi.advanceTimersByTime(30_000)
    await browser.request((session) => session.set('cart', ['mug']))
    expect(browser.lastSetCookie).toBeUndefined()
    expect(browser.cookieHeader).toBe(sent)
    // 600 s after the cookie was sent (a Max-Age of idleTimeout ends now too), not after the change.
    vi.advanceTimersByTime(570_000)
    await browser.request((session) => expect(session.get('user')).toBeUndefined())
  })

  it('sends the cookie when the user changes, and keeps the session listed for its user', async () => {
    let storage = factory({ userKey: 'user' })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('cart', ['mug']))
    vi.advanceTimersByTime(1000)
    await browser.request((session) => session.set('user', 'ada'))
    expect(browser.lastSetCookie).toMatch(/^session=/)
    vi.advanceTimersByTime(1000)
    await browser.request((session) => session.set('theme', 'dark'))
    expect(browser.lastSetCookie).toBeUndefined()
    expect(await storage.listUserSessions?.('ada')).toHaveLength(1)
    expect(await storage.destroyUserSessions?.('ada')).toBe(1)
    await browser.request((session) => expect(session.get('theme')).toBeUndefined())
  })
}

function itSharesServerState(factory: StorageFactory): void {
  it('never adopts an unknown id unless useUnknownIds is set', async () => {
    let planted = 'C'.repeat(32)
    let adopted = await factory({ useUnknownIds: true }).read(planted)
    expect(adopted.id).toBe(planted)
    let refused = await factory().read(planted)
    expect(refused.id).not.toBe(planted)
  })

  it('keeps every key when 300 requests change different keys at once', async () => {
    let storage = factory()
    let browser = new Browser(storage, cookie)
    let id = await browser.request((session) => {
      session.set('start', true)
      return session.id
    })
    await Promise.all(
      Array.from({ length: 300 }, async (_, index) => {
        let session = await storage.read(id)
        session.set(`key${index}`, index)
        await storage.save(session)
      }),
    )
    let session = await storage.read(id)
    expect(session.size).toBe(301)
    expect(session.get('key299')).toBe(299)
  })

  it('signs one user out everywhere with destroyUserSessions, even mid-request', async () => {
    let storage = factory({ userKey: 'userId' })
    let laptop = new Browser(storage, cookie)
    let phone = new Browser(storage, cookie)
    let someoneElse = new Browser(storage, cookie)
    await laptop.request((session) => session.set('userId', 'ada'))
    await phone.request((session) => session.set('userId', 'ada'))
    await someoneElse.request((session) => session.set('userId', 'grace'))
    let inFlight = await storage.read(await cookie.parse(phone.cookieHeader as string))
    expect(await storage.destroyUserSessions?.('ada')).toBe(2)
    inFlight.set('cart', 1)
    expect(await storage.save(inFlight)).toBe('')
    await laptop.request((session) => expect(session.get('userId')).toBeUndefined())
    await phone.request((session) => expect(session.get('userId')).toBeUndefined())
    await someoneElse.request((session) => expect(session.get('userId')).toBe('grace'))
    await expect(factory().destroyUserSessions?.('ada')).rejects.toThrow(/needs the userKey option/)
  })
}

/** `destroyUserSessions`: every session, however kept alive or however many. */
function itEndsUserSessions(factory: StorageFactory): void {
  it('ends a session kept alive by use past the lifetime of the one it was first saved with', async () => {
    let storage = factory({ userKey: 'userId' })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('userId', 'ada'))
    for (let dayNumber = 2; dayNumber <= 10; dayNumber += 2) {
      vi.advanceTimersByTime(2 * day)
      await browser.request((session) => expect(session.get('userId')).toBe('ada'))
    }
    await storage.prune?.()
    expect(await storage.destroyUserSessions?.('ada')).toBe(1)
    await browser.request((session) => expect(session.get('userId')).toBeUndefined())
  })

  it('ends every session of a user however many times they logged in, with no cap', async () => {
    let storage = factory({ userKey: 'userId', maxSessionsPerUser: Infinity })
    let first = new Browser(storage, cookie)
    await first.request((session) => session.set('userId', 'ada'))
    for (let login = 0; login < 150; login++) {
      await new Browser(storage, cookie).request((session) => session.set('userId', 'ada'))
    }
    expect(await storage.destroyUserSessions?.('ada')).toBe(151)
    await first.request((session) => expect(session.get('userId')).toBeUndefined())
  })

  it('keeps at most maxSessionsPerUser live sessions, deleting the ones used least recently', async () => {
    let storage = factory({ userKey: 'userId', maxSessionsPerUser: 3 })
    let devices = [0, 1, 2, 3].map(() => new Browser(storage, cookie))
    for (let device of devices) {
      vi.advanceTimersByTime(1000)
      await device.request((session) => session.set('userId', 'ada'))
    }
    await devices[0]?.request((session) => expect(session.get('userId')).toBeUndefined())
    for (let device of devices.slice(1)) {
      await device.request((session) => expect(session.get('userId')).toBe('ada'))
    }
    expect(await storage.destroyUserSessions?.('ada')).toBe(3)
    for (let device of devices) {
      await device.request((session) => expect(session.get('userId')).toBeUndefined())
    }
    expect(() => factory({ maxSessionsPerUser: 0 })).toThrow(TypeError)
    expect(() => factory({ maxSessionsPerUser: 1.5 })).toThrow(TypeError)
  })
}

/**
 * A storage capping each user at 2 sessions, and three browsers: ada logged in on the laptop,
 * then a second later on the tablet; the phone not yet.
 */
async function twoDevicesAtTheCap(factory: StorageFactory) {
  let storage = factory({ userKey: 'userId', maxSessionsPerUser: 2 })
  let [laptop, tablet, phone] = [0, 1, 2].map(() => new Browser(storage, cookie)) as [
    Browser,
    Browser,
    Browser,
  ]
  await laptop.request((session) => session.set('userId', 'ada'))
  vi.advanceTimersByTime(1000)
  await tablet.request((session) => session.set('userId', 'ada'))
  return { storage, laptop, tablet, phone }
}

/** The per-user cap, by last use. */
function itCapsByLastUse(factory: StorageFactory): void {
  it('keeps a device in use over one left unused when the cap deletes a session', async () => {
    let { storage, laptop, tablet, phone } = await twoDevicesAtTheCap(factory)
    vi.advanceTimersByTime(day) // the laptop is used (and renewed); the tablet is not
    await laptop.request((session) => expect(session.get('userId')).toBe('ada'))
    await phone.request((session) => session.set('userId', 'ada'))
    await tablet.request((session) => expect(session.get('userId')).toBeUndefined())
    for (let device of [laptop, phone]) {
      await device.request((session) => expect(session.get('userId')).toBe('ada'))
    }
    expect(await storage.destroyUserSessions?.('ada')).toBe(2)
  })

  it('keeps a device whose session changed an hour ago over one unused since its login', async () => {
    // The default idle timeout: a read alone renews the session once in 16.8 hours.
    let { storage, laptop, tablet, phone } = await twoDevicesAtTheCap(factory)
    vi.advanceTimersByTime(3_600_000)
    await laptop.request((session) => session.set('cart', ['mug']))
    await phone.request((session) => session.set('userId', 'ada'))
    await tablet.request((session) => expect(session.get('userId')).toBeUndefined())
    await laptop.request((session) => expect(session.get('cart')).toEqual(['mug']))
    expect(await storage.destroyUserSessions?.('ada')).toBe(2)
  })
}

/** `destroyUserSessions`: how users are named and what it counts. */
function itCountsUserSessions(factory: StorageFactory): void {
  it('names a user by a number or a bigint as by its decimal string', async () => {
    let storage = factory({ userKey: 'userId' })
    let byNumber = new Browser(storage, cookie)
    let byBigint = new Browser(storage, cookie)
    await byNumber.request((session) => session.set('userId', 42))
    await byBigint.request((session) => session.set('userId', 42n))
    expect(await storage.destroyUserSessions?.('42')).toBe(2)
    await byNumber.request((session) => expect(session.get('userId')).toBeUndefined())
    await byBigint.request((session) => expect(session.get('userId')).toBeUndefined())
    await byNumber.request((session) => session.set('userId', 7))
    expect(await storage.destroyUserSessions?.(7n)).toBe(1)
  })

  it('refuses at save, writing nothing, a user value that cannot name a user', async () => {
    let storage = factory({ userKey: 'userId' })
    // 1e21 and 2 ** 53 are not safe integers: their decimal forms would name other users than
    // the bigints they stand for (10n ** 21n, 2n ** 53n + 1n...). A lone surrogate becomes U+FFFD
    // once encoded: '\uD800' would name the user '\uFFFD'.
    for (let value of [{ id: 1 }, true, Number.NaN, 1.5, 1e21, 2 ** 53, '\uD800', 'a\uDC00']) {
      let session = await storage.read(null)
      session.set('cart', 1)
      session.set('userId', value)
      await expect(storage.save(session)).rejects.toThrow(/"userId" \(the userKey option\)/)
      expect((await storage.read(session.id)).size).toBe(0)
    }
    await expect(storage.destroyUserSessions?.({} as never)).rejects.toThrow(TypeError)
    await expect(storage.destroyUserSessions?.(1e21)).rejects.toThrow(/a safe integer or a bigint/)
    await expect(storage.destroyUserSessions?.('\uD800')).rejects.toThrow(/lone surrogates/)
  })

  it('counts only the live sessions it ended, not the ids logins retired', async () => {
    let storage = factory({ userKey: 'userId' })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('userId', 'ada'))
    await browser.request((session) => session.regenerateId(true))
    await browser.request((session) => session.regenerateId(true))
    expect(await storage.destroyUserSessions?.('ada')).toBe(1)
    await browser.request((session) => expect(session.get('userId')).toBeUndefined())
  })

  it('stops regenerateId() from carrying a session it ended on under a new id', async () => {
    let storage = factory({ userKey: 'userId' })
    let browser = new Browser(storage, cookie)
    let id = await browser.request((session) => {
      session.set('userId', 'ada')
      return session.id
    })
    let inFlight = await storage.read(id)
    expect(await storage.destroyUserSessions?.('ada')).toBe(1)
    inFlight.regenerateId()
    inFlight.set('cart', 1)
    expect(await storage.save(inFlight)).toBe('')
    expect((await storage.read(inFlight.id)).size).toBe(0)
    expect(await storage.destroyUserSessions?.('ada')).toBe(0)
  })

  it('still ends the old id of a session that regenerateId() handed to another user', async () => {
    let storage = factory({ userKey: 'userId' })
    let browser = new Browser(storage, cookie)
    let oldId = await browser.request((session) => {
      session.set('userId', 'u1')
      return session.id
    })
    let newId = await browser.request((session) => {
      session.regenerateId()
      session.set('userId', 'u2')
      return session.id
    })
    // regenerateId() without true keeps the old record: it still answers as u1's session.
    expect((await storage.read(oldId)).get('userId')).toBe('u1')
    expect(await storage.destroyUserSessions?.('u1')).toBe(1)
    expect((await storage.read(oldId)).size).toBe(0)
    expect((await storage.read(newId)).get('userId')).toBe('u2')
    expect(await storage.destroyUserSessions?.('u2')).toBe(1)
  })

  it('no longer counts a session its user logged out of', async () => {
    let storage = factory({ userKey: 'userId' })
    let laptop = new Browser(storage, cookie)
    let phone = new Browser(storage, cookie)
    await laptop.request((session) => session.set('userId', 'ada'))
    await phone.request((session) => session.set('userId', 'ada'))
    await phone.request((session) => session.destroy())
    expect(await storage.destroyUserSessions?.('ada')).toBe(1)
    await laptop.request((session) => expect(session.get('userId')).toBeUndefined())
  })
}

/** A browser with a stored session, a request that left with its cookie, then a login. */
async function loginWithRequestInFlight(factory: StorageFactory, options?: ServerStorageOptions) {
  let storage = factory({ userKey: 'userId', ...options })
  let browser = new Browser(storage, cookie)
  let oldId = await browser.request((session) => {
    session.set('cart', 1)
    return session.id
  })
  let inFlight = await storage.read(oldId)
  let newId = await browser.request((session) => {
    session.regenerateId(true)
    session.set('userId', 'lin')
    return session.id
  })
  return { storage, browser, oldId, newId, inFlight }
}

/** `regenerateId(true)`: requests that left before the login cannot undo it. */
function itKeepsLoginsFromRequestsInFlight(factory: StorageFactory): void {
  it('lets a request that left before the login answer without a Set-Cookie, whatever it did', async () => {
    for (let change of [
      (session: Session) => session.set('cart', 2),
      (session: Session) => session.destroy(),
      (session: Session) => session.regenerateId(true),
      () => {},
    ]) {
      let { storage, browser, newId, inFlight } = await loginWithRequestInFlight(factory, {
        idleTimeout: 200,
      })
      vi.advanceTimersByTime(30_000) // due for renewal, within the grace period

      change(inFlight)
      expect(await storage.save(inFlight)).toBeNull()
      await browser.request((session) => {
        expect(session.id).toBe(newId)
        expect(session.data[0]).toEqual({ cart: 1, userId: 'lin' })
      })
    }
  })

  it('answers the old id during the grace period with an empty session that saves nothing', async () => {
    let { storage, browser, oldId, newId } = await loginWithRequestInFlight(factory)
    for (let change of [
      (session: Session) => session.set('cart', 2),
      (session: Session) => session.destroy(),
      (session: Session) => session.regenerateId(),
    ]) {
      let late = await storage.read(oldId)
      expect([late.size, late.id === oldId, late.id === newId]).toEqual([0, false, false])
      change(late)
      expect(await storage.save(late)).toBeNull()
      expect((await storage.read(late.id)).size).toBe(0)
    }
    await browser.request((session) => expect(session.get('userId')).toBe('lin'))
  })

  it('saves a login retried with the retired cookie as a new session holding only what it set', async () => {
    let { storage, oldId, newId } = await loginWithRequestInFlight(factory)
    let retry = await storage.read(oldId)
    retry.regenerateId(true)
    retry.set('userId', 'lin')
    let saved = await storage.save(retry)
    expect([saved === retry.id, saved === newId]).toEqual([true, false])
    expect((await storage.read(retry.id)).data[0]).toEqual({ userId: 'lin' })
    expect((await storage.read(newId)).data[0]).toEqual({ cart: 1, userId: 'lin' })
  })

  it('stops regenerateId() of a request that left before the login from undoing it', async () => {
    let { storage, browser, newId, inFlight } = await loginWithRequestInFlight(factory)
    inFlight.regenerateId()
    inFlight.set('cart', 2)
    expect(await storage.save(inFlight)).toBeNull()
    expect((await storage.read(inFlight.id)).size).toBe(0)
    await browser.request((session) => {
      expect(session.id).toBe(newId)
      expect(session.data[0]).toEqual({ cart: 1, userId: 'lin' })
    })
  })

  it('saves nothing for a request on the old id that calls regenerateId(true) without logging in', async () => {
    let { storage, browser, oldId, newId } = await loginWithRequestInFlight(factory)
    let rotation = await storage.read(oldId)
    rotation.regenerateId(true)
    rotation.set('theme', 'dark')
    expect(await storage.save(rotation)).toBeNull()
    expect((await storage.read(rotation.id)).size).toBe(0)
    await browser.request((session) => expect(session.id).toBe(newId))
  })

  it('keeps the absolute lifetime through regenerateId(true) calls that log no one in', async () => {
    let storage = factory({
      userKey: 'userId',
      idleTimeout: 2 * 86_400,
      absoluteTimeout: 5 * 86_400,
    })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('userId', 'lin'))
    // An id rotated every day: day 4 is still within the session's 5 days, day 5.5 is not.
    for (let dayNumber = 1; dayNumber <= 4; dayNumber++) {
      vi.advanceTimersByTime(day)
      await browser.request((session) => {
        expect(session.get('userId')).toBe('lin')
        session.regenerateId(true)
      })
    }
    vi.advanceTimersByTime(1.5 * day)
    await browser.request((session) => expect(session.get('userId')).toBeUndefined())
  })

  it('starts a new absolute lifetime at the login, not at the anonymous session', async () => {
    let storage = factory({
      userKey: 'userId',
      idleTimeout: 2 * 86_400,
      absoluteTimeout: 5 * 86_400,
    })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('cart', 1))
    for (let dayNumber = 1; dayNumber <= 4; dayNumber++) {
      vi.advanceTimersByTime(day)
      await browser.request((session) => session.set('seen', dayNumber))
    }
    await browser.request((session) => {
      session.regenerateId(true)
      session.set('userId', 'lin')
    })
    // Days 5.5, 7 and 8.5: past the anonymous session's end (day 5), renewed each time.
    for (let step = 0; step < 3; step++) {
      vi.advanceTimersByTime(1.5 * day)
      await browser.request((session) => expect(session.get('userId')).toBe('lin'))
    }
    vi.advanceTimersByTime(day) // day 9.5: past the login's own end (day 9)
    await browser.request((session) => expect(session.get('userId')).toBeUndefined())
  })
}

/** `regenerateId(true)`: the old id after the grace period, and requests that expired. */
function itEndsOldIdsAndLateRequests(factory: StorageFactory): void {
  it('reads the old id as unknown once retiredIdGrace has passed', async () => {
    let { storage, oldId } = await loginWithRequestInFlight(factory, { retiredIdGrace: 30 })
    vi.advanceTimersByTime(31_000)
    let late = await storage.read(oldId)
    expect([late.size, late.id === oldId]).toEqual([0, false])
    late.set('cart', 5)
    let saved = await storage.save(late)
    expect(saved).toBe(late.id)
    expect((await storage.read(saved)).get('cart')).toBe(5)
  })

  it('deletes the old record at once with retiredIdGrace: 0, so a request in flight clears the cookie', async () => {
    let { storage, oldId, inFlight } = await loginWithRequestInFlight(factory, {
      retiredIdGrace: 0,
    })
    inFlight.set('cart', 2)
    expect(await storage.save(inFlight)).toBe('')
    let late = await storage.read(oldId)
    late.set('cart', 3)
    expect(await storage.save(late)).toBe(late.id)
  })

  it('still clears the cookie of a request whose session expired while it ran', async () => {
    let storage = factory({ idleTimeout: 600 })
    let browser = new Browser(storage, cookie)
    let id = await browser.request((session) => {
      session.set('user', 'lin')
      return session.id
    })
    let slow = await storage.read(id)
    vi.advanceTimersByTime(601_000)
    slow.set('cart', 1)
    expect(await storage.save(slow)).toBe('')
    expect((await storage.read(id)).size).toBe(0)
  })

  it('clears the cookie of a request whose session expired while it ran, under a new id too', async () => {
    let storage = factory({ idleTimeout: 600 })
    let browser = new Browser(storage, cookie)
    let id = await browser.request((session) => {
      session.set('user', 'lin')
      return session.id
    })
    let slow = await storage.read(id)
    vi.advanceTimersByTime(601_000)
    slow.regenerateId()
    expect(await storage.save(slow)).toBe('')
    expect((await storage.read(slow.id)).size).toBe(0)
  })

  it('refuses a retiredIdGrace that is negative or not a number', () => {
    expect(() => factory({ retiredIdGrace: -1 })).toThrow(TypeError)
    expect(() => factory({ retiredIdGrace: Number.NaN })).toThrow(TypeError)
  })
}

/** Server storages: a destroyed session stays destroyed. */
function itDoesNotRevive(factory: StorageFactory): void {
  it('does not revive a session destroyed while other requests were saving it', async () => {
    let storage = factory()
    for (let round = 0; round < 20; round++) {
      let id = await new Browser(storage, cookie).request((session) => {
        session.set('user', 'ada')
        return session.id
      })
      let saving = await storage.read(id)
      let logout = await storage.read(id)
      saving.set('cart', round)
      logout.destroy()
      await Promise.all([storage.save(saving), storage.save(logout)])
      expect((await storage.read(id)).size).toBe(0)
    }
  })

  it('does not revive a session destroyed while another request held it', async () => {
    let storage = factory()
    let browser = new Browser(storage, cookie)
    let id = await browser.request((session) => {
      session.set('user', 'ada')
      return session.id
    })
    let slow = await storage.read(id)
    let logout = await storage.read(id)
    logout.destroy()
    await storage.save(logout)
    slow.set('cart', 1)
    expect(await storage.save(slow)).toBe('')
    expect((await storage.read(id)).size).toBe(0)
  })
}

async function signed(value: string): Promise<string> {
  return (await cookie.serialize(value)).split(';')[0]?.slice('session='.length) as string
}
