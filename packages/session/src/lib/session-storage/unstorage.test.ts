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
import { createCookie } from '../cookie.ts'
import { createUnstorageSessionStorage, type UnstorageSessionStorage } from './unstorage.ts'

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

/** A session saved with `user: 'ada'`, and its id. */
async function savedSession(storage: UnstorageSessionStorage<unknown, unknown>) {
  let session = await storage.read(null)
  session.set('user', 'ada')
  return (await storage.save(session)) as string
}

describe('createUnstorageSessionStorage', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

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
})
