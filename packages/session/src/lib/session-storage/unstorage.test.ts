import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Redis } from 'ioredis'
import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { savedSession } from '../../test/storage-outage.ts'
import { createCookie } from '../cookie.ts'
import { createUnstorageSessionStorage, type UnstorageStorage } from './unstorage.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under a Redis base and a folder of its own, both removed at the end.
const base = `x-session-unstorage:${process.pid}:${Date.now()}`
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'x-unstorage-'))
const cookie = createCookie('session', { secrets: [secret] })
const stores: Storage[] = []
let folders = 0

/** An unstorage over the fs driver in a folder of its own. */
function fsStore(): Storage {
  let store = createStorage({ driver: fsDriver({ base: path.join(folder, `${++folders}`) }) })
  stores.push(store)
  return store
}

/** An unstorage over the redis driver, under this run's base. */
function redisStore(): Storage {
  let store = createStorage({ driver: redisDriver({ url, base }) })
  stores.push(store)
  return store
}

afterAll(async () => {
  let cleanup = redisStore()
  await cleanup.clear()
  await Promise.all(stores.map((store) => store.dispose()))
  fs.rmSync(folder, { recursive: true, force: true })
})

// One store per conformance test: storages made in one test share it (`reopens`).
function perTest(make: () => Storage) {
  let store: Storage | undefined
  let test = ''
  return (options = {}) => {
    let name = expect.getState().currentTestName ?? ''
    if (name !== test || store === undefined) [test, store] = [name, make()]
    return createUnstorageSessionStorage(store, options)
  }
}

describeSessionStorage('createUnstorageSessionStorage(fs driver)', perTest(fsStore), {
  serverSide: true,
  reopens: true,
})

describeSessionStorage('createUnstorageSessionStorage(redis driver)', perTest(redisStore), {
  serverSide: true,
  reopens: true,
})

/** Runs `mount` with these arguments (the tests run as root, as CI does). */
function mount(...args: string[]): void {
  execFileSync('mount', args)
}

/**
 * `store`, with each read of a `userKey` index held back, once `armed`, until `release` is
 * called: `held` resolves when one is.
 */
function holdIndexRead(store: Storage) {
  let release = () => {}
  let released = new Promise<void>((resolve) => {
    release = resolve
  })
  let reached = () => {}
  let held = new Promise<void>((resolve) => {
    reached = resolve
  })
  let gate = { armed: false, held, release }
  let gated: UnstorageStorage = {
    async getItem(key) {
      let item = await store.getItem(key)
      if (gate.armed && key.includes(':user.')) {
        gate.armed = false
        reached()
        await released
      }
      return item
    },
    setItem: (key, value, options) => store.setItem(key, value, options),
    removeItem: (key) => store.removeItem(key),
    getKeys: (base) => store.getKeys(base),
  }
  return { gate, gated }
}

/** A session saved with `user: 'ada'`, and its id. */

describe('createUnstorageSessionStorage', () => {
  it('keeps a session as one item under the prefix, with a ttl for drivers that expire items', async () => {
    let store = redisStore()
    let storage = createUnstorageSessionStorage(store, { prefix: 'app:', idleTimeout: 600 })
    let id = await savedSession(storage)
    let item = (await store.getItem(`app:${id}`)) as { data: string; expires: number }
    expect(item.data).toContain('ada')
    expect(item.expires).toBeGreaterThan(Date.now())
    let redis = new Redis(url)
    let ttl = await redis.pttl(`${base}:app:${id}`)
    await redis.quit()
    expect(ttl).toBeGreaterThan(590_000)
    expect(ttl).toBeLessThanOrEqual(600_000)
  })

  it('writes one file per session with the fs driver, and deletes it on destroy', async () => {
    let store = fsStore()
    let storage = createUnstorageSessionStorage(store)
    let id = await savedSession(storage)
    expect(await store.getKeys('session:')).toEqual([`session:${id}`])
    let session = await storage.read(id)
    session.destroy()
    expect(await storage.save(session)).toBe('')
    expect(await store.getKeys('session:')).toEqual([])
  })

  it('reads an item it did not write as a fresh session, and deletes it', async () => {
    let store = fsStore()
    let storage = createUnstorageSessionStorage(store)
    for (let item of ['a string', { data: 1 }, [1, 2], { data: '{not devalue', expires: 9e15 }]) {
      let id = await savedSession(storage)
      await store.setItem(`session:${id}`, item)
      let session = await storage.read(id)
      expect([session.size, session.id === id]).toEqual([0, false])
      expect(await store.hasItem(`session:${id}`)).toBe(false)
    }
  })

  it('merges saves of two storages on one store made one after the other', async () => {
    let store = redisStore()
    let first = createUnstorageSessionStorage(store)
    let second = createUnstorageSessionStorage(store)
    let id = await savedSession(first)
    // Both read before either saves: each save reads the stored item again and merges onto it.
    let a = await first.read(id)
    let b = await second.read(id)
    a.set('theme', 'dark')
    b.set('cart', ['mug'])
    await first.save(a)
    await second.save(b)
    expect((await first.read(id)).data[0]).toEqual({ user: 'ada', theme: 'dark', cart: ['mug'] })
  })

  it('passes a storage error through, even one the fs driver resolves to, deleting nothing', async () => {
    let store = fsStore()
    let storage = createUnstorageSessionStorage(store)
    let id = await savedSession(storage)
    let sessions = path.join(folder, `${folders}`, 'session')
    // The folder of sessions replaced by a file: reading a session fails with ENOTDIR.
    fs.renameSync(sessions, `${sessions}.saved`)
    fs.writeFileSync(sessions, '')
    await expect(storage.read(id)).rejects.toThrow(/ENOTDIR/)
    fs.rmSync(sessions)
    fs.renameSync(`${sessions}.saved`, sessions)
    expect((await storage.read(id)).get('user')).toBe('ada')
  })

  it('shares sessions between two storages on one Redis, as separate servers would', async () => {
    let first = new Browser(createUnstorageSessionStorage(redisStore()), cookie)
    await first.request((session) => session.set('cart', ['mug']))
    let second = new Browser(createUnstorageSessionStorage(redisStore()), cookie)
    second.cookieHeader = first.cookieHeader
    await second.request((session) => expect(session.get('cart')).toEqual(['mug']))
  })

  it.each(['a?b:', '../sessions:', 'app/./sessions/'])(
    'refuses the prefix %j with a TypeError when created',
    (prefix) => {
      expect(() => createUnstorageSessionStorage(fsStore(), { prefix })).toThrow(TypeError)
    },
  )
})

describe('createUnstorageSessionStorage prune()', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('reads and prunes the items of a store that gives back the JSON text it was given', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let items = new Map<string, unknown>()
    let store: UnstorageStorage = {
      getItem: async (key) => items.get(key) ?? null,
      setItem: async (key, value) => {
        items.set(key, value)
      },
      removeItem: async (key) => {
        items.delete(key)
      },
      getKeys: async (prefix = '') => [...items.keys()].filter((key) => key.startsWith(prefix)),
    }
    let storage = createUnstorageSessionStorage(store, { idleTimeout: 600 })
    await savedSession(storage)
    vi.advanceTimersByTime(500_000)
    let live = await savedSession(storage)
    expect(typeof items.get(`session:${live}`)).toBe('string')
    vi.advanceTimersByTime(200_000)
    expect(await storage.prune()).toBe(1)
    expect([...items.keys()]).toEqual([`session:${live}`])
    expect((await storage.read(live)).get('user')).toBe('ada')
  })

  it('deletes expired items with prune(), and keeps the live ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let store = fsStore()
    let storage = createUnstorageSessionStorage(store, { idleTimeout: 600 })
    await savedSession(storage)
    await savedSession(storage)
    vi.advanceTimersByTime(500_000)
    let live = await savedSession(storage)
    vi.advanceTimersByTime(200_000)
    expect(await storage.prune()).toBe(2)
    expect(await store.getKeys('session:')).toEqual([`session:${live}`])
    expect((await storage.read(live)).get('user')).toBe('ada')
  })

  it.each(['sess_', 'app/sessions/', 'app:sess_'])(
    'prunes expired sessions with the prefix %j, and nothing outside it',
    async (prefix) => {
      vi.useFakeTimers({ toFake: ['Date'] })
      let store = fsStore()
      let storage = createUnstorageSessionStorage(store, { prefix, idleTimeout: 600 })
      let expired = await savedSession(storage)
      await store.setItem('other_item', { data: 'not a session', expires: 0 })
      vi.advanceTimersByTime(700_000)
      let live = await savedSession(storage)
      expect(await storage.prune()).toBe(1)
      let key = (id: string) => `${prefix}${id}`.replaceAll('/', ':')
      expect((await store.getKeys('')).sort()).toEqual([key(live), 'other_item'].sort())
      expect(await store.hasItem(key(expired))).toBe(false)
      expect((await storage.read(live)).get('user')).toBe('ada')
    },
  )

  it('prunes expired sessions with a prefix that is no folder on the redis driver', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let store = redisStore()
    let prefix = `sess${process.pid}_`
    let storage = createUnstorageSessionStorage(store, { prefix, idleTimeout: 600 })
    let expired = await savedSession(storage)
    vi.advanceTimersByTime(700_000)
    let live = await savedSession(storage)
    expect(await storage.prune()).toBe(1)
    expect(await store.hasItem(`${prefix}${expired}`)).toBe(false)
    await store.removeItem(`${prefix}${live}`)
  })
})

describe('createUnstorageSessionStorage when a delete races a login or fails', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps a user index that a login rewrites while prune() is deleting it as expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let { gate, gated } = holdIndexRead(fsStore())
    let storage = createUnstorageSessionStorage(gated, { userKey: 'user', idleTimeout: 600 })
    await savedSession(storage)
    // The session and its user's index both expired (the index one idle period later).
    vi.advanceTimersByTime(1_300_000)
    gate.armed = true
    let pruning = storage.prune()
    await gate.held
    // prune() has read the expired index; a login rewrites it before prune() deletes it.
    let login = await savedSession(storage)
    gate.release()
    expect(await pruning).toBe(1)
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    expect((await storage.read(login)).size).toBe(0)
  })

  it('rejects a logout and prune() whose delete the fs driver reports done but which failed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    // Root deletes any file whatever its mode: a read-only mount is what makes unlink fail here.
    let disk = fs.mkdtempSync(path.join(folder, 'read-only-'))
    mount('-t', 'tmpfs', '-o', 'size=1m', 'x-unstorage-disk', disk)
    try {
      let store = createStorage({ driver: fsDriver({ base: disk }) })
      stores.push(store)
      let storage = createUnstorageSessionStorage(store, { idleTimeout: 600 })
      let expired = await savedSession(storage)
      vi.advanceTimersByTime(700_000)
      let id = await savedSession(storage)
      mount('-o', 'remount,ro', disk)
      try {
        let session = await storage.read(id)
        session.destroy()
        await expect(storage.save(session)).rejects.toThrow(`"session:${id}"`)
        await expect(storage.prune()).rejects.toThrow(`"session:${expired}"`)
      } finally {
        mount('-o', 'remount,rw', disk)
      }
      // The logout did not happen, and said so: the session is still there.
      expect((await storage.read(id)).get('user')).toBe('ada')
    } finally {
      execFileSync('umount', [disk])
      fs.rmSync(disk, { recursive: true, force: true })
    }
  })
})
