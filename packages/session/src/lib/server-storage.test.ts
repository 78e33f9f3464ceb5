import vm from 'node:vm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Browser } from '../test/browser.ts'
import { describeSessionStorage, secret } from '../test/storage-conformance.ts'
import { createCookie } from './cookie.ts'
import { createSessionStorage, type SessionDataStore } from './server-storage.ts'
import { encodeRecord } from './session-record.ts'

interface Row {
  data: string
  expires: Date
}

/** "Your own" storage: a store with four functions, here over a Map, honouring expiry as a DB would. */
function mapStore(map: Map<string, Row>, calls: string[] = []): SessionDataStore {
  return {
    async readData(id) {
      calls.push(`read ${id.startsWith('user.') ? 'index' : 'session'}`)
      let row = map.get(id)
      return row && row.expires.getTime() > Date.now() ? row.data : null
    },
    async createData(id, data, expires) {
      calls.push(`create ${id.startsWith('user.') ? 'index' : 'session'}`)
      map.set(id, { data, expires })
    },
    async updateData(id, data, expires) {
      calls.push(`update ${id.startsWith('user.') ? 'index' : 'session'}`)
      map.set(id, { data, expires })
    },
    async deleteData(id) {
      calls.push(`delete ${id.startsWith('user.') ? 'index' : 'session'}`)
      map.delete(id)
    },
  }
}

/** How many session ids the stored user indexes list, whatever their format. */
function indexedIds(map: Map<string, Row>): number {
  let index = [...map].find(([id]) => id.startsWith('user.'))?.[1].data ?? ''
  return index.match(/"[A-Za-z0-9_-]{32}"/g)?.length ?? 0
}

const cookie = createCookie('session', { secrets: [secret] })
const day = 86_400_000
const shared = new Map<string, Row>()
describeSessionStorage(
  'createSessionStorage over your own store',
  (options) => createSessionStorage(mapStore(shared), options),
  {
    serverSide: true,
    reopens: true,
  },
)

describe('createSessionStorage', () => {
  it('calls createData for a new session and updateData after, with when it expires', async () => {
    let calls: string[] = []
    let map = new Map<string, Row>()
    let storage = createSessionStorage(
      {
        readData: async (id) => map.get(id)?.data ?? null,
        createData: async (id, data, expires) => {
          calls.push(`create ${expires.getTime() - Date.now() > 6 * 86_400_000}`)
          map.set(id, { data, expires })
        },
        updateData: async (id, data, expires) => {
          calls.push('update')
          map.set(id, { data, expires })
        },
        deleteData: async (id) => {
          calls.push('delete')
          map.delete(id)
        },
      },
      { idleTimeout: 7 * 86_400 },
    )
    let session = await storage.read(null)
    session.set('a', 1)
    let id = (await storage.save(session)) as string
    let again = await storage.read(id)
    again.set('b', 2)
    await storage.save(again)
    again.destroy()
    await storage.save(again)
    expect(calls).toEqual(['create true', 'update', 'delete'])
  })

  it('passes store errors through instead of starting a fresh session', async () => {
    let storage = createSessionStorage({
      readData: () => Promise.reject(new Error('connection refused')),
      createData: () => Promise.reject(new Error('connection refused')),
      updateData: () => Promise.reject(new Error('connection refused')),
      deleteData: () => Promise.reject(new Error('connection refused')),
    })
    await expect(storage.read('D'.repeat(32))).rejects.toThrow('connection refused')
  })
})

describe('createSessionStorage over stores that answer in other ways', () => {
  /** A store over a Map whose four functions give what `wrap` makes of each answer. */
  function storeAnswering(wrap: <Value>(value: Value) => Promise<Value>) {
    let map = new Map<string, string>()
    let store: SessionDataStore = {
      readData: (id) => wrap(map.get(id) ?? null),
      createData: (id, data) => wrap(void map.set(id, data)),
      updateData: (id, data) => wrap(void map.set(id, data)),
      deleteData: (id) => wrap(void map.delete(id)),
    }
    return { map, store }
  }
  let ForeignPromise = vm.runInNewContext('Promise') as PromiseConstructor
  let answers = {
    // A promise made in another realm (a vm context, an iframe): not an instance of this Promise.
    'promises of another realm': <Value>(value: Value) => ForeignPromise.resolve(value),
    // A promise library's thenable.
    thenables: <Value>(value: Value) => {
      let thenable = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is what this store answers with
        then: (done: (value: Value) => unknown) => done(value),
      }
      return thenable as unknown as Promise<Value>
    },
    // A JavaScript store that answers at once, whatever its type says.
    'plain values': <Value>(value: Value) => value as unknown as Promise<Value>,
  }

  for (let [kind, wrap] of Object.entries(answers)) {
    it(`reads and saves sessions with ${kind}, never taking a stored one for corrupt`, async () => {
      let { map, store } = storeAnswering(wrap)
      let storage = createSessionStorage(store)
      let first = await storage.read(null)
      first.set('user', 'ada')
      let id = (await storage.save(first)) as string
      let again = await storage.read(id)
      expect([again.id, again.get('user'), map.has(id)]).toEqual([id, 'ada', true])
      again.set('visits', 1)
      await storage.save(again)
      expect((await storage.read(id)).get('visits')).toBe(1)
    })
  }
})

describe('createSessionStorage with userKey', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps a user index about the size of the live sessions, whatever was lost, ended or expired', async () => {
    let map = new Map<string, Row>()
    let storage = createSessionStorage(mapStore(map), { userKey: 'userId' })
    for (let login = 0; login < 200; login++) {
      // A minute apart: entries younger than that are never dropped (their login may be saving).
      vi.advanceTimersByTime(61_000)
      let id = await new Browser(storage, cookie).request((session) => {
        session.set('userId', 'ada')
        return session.id
      })
      map.delete(id) // lost: evicted by the store, or deleted by a cleanup job
    }
    expect(indexedIds(map)).toBeLessThanOrEqual(33)
    for (let login = 0; login < 50; login++) {
      let browser = new Browser(storage, cookie)
      await browser.request((session) => session.set('userId', 'grace'))
      await browser.request((session) => session.destroy())
    }
    // Expired entries go when the index is written: 7 days idle, plus the index's margin of 7.
    vi.advanceTimersByTime(8 * day)
    await new Browser(storage, cookie).request((session) => session.set('userId', 'ada'))
    vi.advanceTimersByTime(7 * day)
    await new Browser(storage, cookie).request((session) => session.set('userId', 'ada'))
    expect(indexedIds(map)).toBe(2)
    expect([...map.keys()].filter((id) => id.startsWith('user.'))).toHaveLength(1)
  })

  it('writes the index about once per idle timeout while a session is used daily', async () => {
    let calls: string[] = []
    let storage = createSessionStorage(mapStore(new Map(), calls), { userKey: 'userId' })
    let browser = new Browser(storage, cookie)
    await browser.request((session) => session.set('userId', 'ada'))
    calls.length = 0
    for (let dayNumber = 1; dayNumber <= 21; dayNumber++) {
      vi.advanceTimersByTime(day)
      await browser.request((session) => session.set('seen', dayNumber))
    }
    let indexWrites = calls.filter((call) => call === 'update index').length
    expect(indexWrites).toBeGreaterThan(0)
    expect(indexWrites).toBeLessThanOrEqual(3)
    expect(calls.filter((call) => call.endsWith('session'))).toHaveLength(21 * 3)
  })

  it('indexes a session saved by an older version at its next save', async () => {
    let map = new Map<string, Row>()
    let storage = createSessionStorage(mapStore(map), { userKey: 'userId' })
    let id = 'F'.repeat(32)
    // The format older versions write: no index expiry in the record.
    let record = {
      values: { userId: 'ada' },
      flash: {},
      createdAt: Date.now(),
      touchedAt: Date.now(),
    }
    map.set(id, { data: encodeRecord(record), expires: new Date(Date.now() + day) })
    let session = await storage.read(id)
    session.set('cart', 1)
    expect(await storage.save(session)).toBe(id)
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    expect((await storage.read(id)).size).toBe(0)
  })

  it('leaves a session whose stored user names no one unindexed, under a new id too', async () => {
    let map = new Map<string, Row>()
    let storage = createSessionStorage(mapStore(map), { userKey: 'userId' })
    let id = 'G'.repeat(32)
    // Saved by an older version that took any value: an object names no user.
    let record = {
      values: { userId: { id: 1 } },
      flash: {},
      createdAt: Date.now(),
      touchedAt: Date.now(),
    }
    map.set(id, { data: encodeRecord(record), expires: new Date(Date.now() + day) })
    let session = await storage.read(id)
    session.regenerateId()
    session.set('cart', 1)
    expect(await storage.save(session)).toBe(session.id)
    expect((await storage.read(session.id)).get('userId')).toEqual({ id: 1 })
    expect(indexedIds(map)).toBe(0)
  })
})

describe('createSessionStorage destroyUserSessions with requests in flight', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('ends every one of 100 logins saving at once on a slow store', async () => {
    let map = new Map<string, Row>()
    let plain = mapStore(map)
    // Each record is created a few turns of the event loop after its index entry.
    let slow: SessionDataStore = {
      ...plain,
      async createData(id, data, expires) {
        for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
        return plain.createData(id, data, expires)
      },
    }
    let storage = createSessionStorage(slow, { userKey: 'userId' })
    let ids = await Promise.all(
      Array.from({ length: 100 }, async () => {
        let session = await storage.read(null)
        session.set('userId', 'ada')
        return (await storage.save(session)) as string
      }),
    )
    expect(await storage.destroyUserSessions('ada')).toBe(100)
    let left = await Promise.all(ids.map(async (id) => (await storage.read(id)).size))
    expect(left.filter((size) => size > 0)).toHaveLength(0)
  })

  it('ends a login that retires a listed session while it runs', async () => {
    let map = new Map<string, Row>()
    let plain = mapStore(map)
    let onIndexRead: (() => Promise<void>) | undefined
    let retired: () => void = () => {}
    let store: SessionDataStore = {
      ...plain,
      async readData(id) {
        let data = await plain.readData(id)
        let hook = id.startsWith('user.') ? onIndexRead : undefined
        onIndexRead = undefined
        await hook?.()
        return data
      },
      async updateData(id, data, expires) {
        await plain.updateData(id, data, expires)
        if (data.startsWith('retired:')) retired()
      },
    }
    let storage = createSessionStorage(store, { userKey: 'userId' })
    let id = await new Browser(storage, cookie).request((session) => {
      session.set('userId', 'ada')
      return session.id
    })
    let inFlight = await storage.read(id)
    inFlight.regenerateId(true)
    inFlight.set('seen', 1)
    let login: Promise<string | null> | undefined
    // destroyUserSessions reads the index, then the login retires the id it lists.
    onIndexRead = () => {
      let done = new Promise<void>((resolve) => {
        retired = resolve
      })
      login = storage.save(inFlight)
      return done
    }
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    await login
    expect((await storage.read(inFlight.id)).size).toBe(0)
    expect([...map.keys()].filter((key) => key === inFlight.id)).toEqual([])
  })
})

describe('createSessionStorage destroyUserSessions while a client keeps logging in', () => {
  it('returns after two passes over the index, ending what was listed and what logged in meanwhile', async () => {
    let map = new Map<string, Row>()
    let plain = mapStore(map)
    let logins = 0
    let listing = false
    // Each session destroyUserSessions deletes is followed by another login of the user.
    let store: SessionDataStore = {
      ...plain,
      async deleteData(id) {
        await plain.deleteData(id)
        // At most 20: code that loops until the index is empty would otherwise never return.
        if (listing && !id.startsWith('user.') && ++logins < 20) await login()
      },
    }
    let storage = createSessionStorage(store, { userKey: 'userId' })
    let login = async () => {
      let session = await storage.read(null)
      session.set('userId', 'ada')
      return storage.save(session)
    }
    for (let device = 0; device < 3; device++) await login()
    listing = true
    // The 3 sessions listed at the start, then the 3 logins made meanwhile; the 3 logins made
    // during that second pass stand.
    expect(await storage.destroyUserSessions('ada')).toBe(6)
    listing = false
    expect(logins).toBe(6)
    expect(indexedIds(map)).toBe(3)
  })
})

describe('createSessionStorage destroyUserSessions after a failure, and with a cap', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('finishes the job when called again after a store failure part way', async () => {
    let map = new Map<string, Row>()
    let plain = mapStore(map)
    let failures = 1
    let store: SessionDataStore = {
      ...plain,
      async deleteData(id) {
        if (!id.startsWith('user.') && failures > 0) {
          failures--
          throw new Error('connection reset')
        }
        return plain.deleteData(id)
      },
    }
    let storage = createSessionStorage(store, { userKey: 'userId' })
    let browsers = [0, 1, 2].map(() => new Browser(storage, cookie))
    for (let browser of browsers) {
      await browser.request((session) => session.set('userId', 'ada'))
    }
    await expect(storage.destroyUserSessions('ada')).rejects.toThrow('connection reset')
    expect(await storage.destroyUserSessions('ada')).toBeGreaterThanOrEqual(1)
    for (let browser of browsers) {
      await browser.request((session) => expect(session.get('userId')).toBeUndefined())
    }
    expect([...map.keys()].filter((key) => key.startsWith('user.'))).toEqual([])
  })

  it('keeps the index, and so the work of each login, within maxSessionsPerUser', async () => {
    let map = new Map<string, Row>()
    let calls: string[] = []
    let storage = createSessionStorage(mapStore(map, calls), {
      userKey: 'userId',
      maxSessionsPerUser: 10,
    })
    for (let login = 0; login < 300; login++) {
      vi.advanceTimersByTime(1000)
      calls.length = 0
      await new Browser(storage, cookie).request((session) => session.set('userId', 'ada'))
    }
    expect(indexedIds(map)).toBe(10)
    // The last login: the session, the index, then the one session the cap pushed out.
    expect(calls.length).toBeLessThanOrEqual(10 + 8)
    expect(await storage.destroyUserSessions('ada')).toBe(10)
  })
})
