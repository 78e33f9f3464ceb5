import { expect, it, vi } from 'vitest'
import type { Cookie } from '../lib/cookie.ts'
import type { Session } from '../lib/session.ts'
import { Browser } from './browser.ts'
import type { StorageFactory } from './storage-conformance.ts'

const day = 86_400_000

/**
 * A user name no other test uses: storages made by one factory may share their data (a custom
 * store, a database), and earlier tests leave their users' sessions.
 */
function newUser(name: string): string {
  return `${name}-${crypto.randomUUID()}`
}

/** A user's devices, each logged in as `user` with a `device` value, a second apart. */
async function logIn(
  factory: StorageFactory,
  cookie: Cookie,
  user: string | number,
  devices: string[],
) {
  let storage = factory({ userKey: 'userId' })
  let browsers = new Map<string, Browser>()
  let ids = new Map<string, string>()
  for (let device of devices) {
    let browser = new Browser(storage, cookie)
    let id = await browser.request((session) => {
      session.regenerateId(true)
      session.set('userId', user)
      session.set('device', device)
      session.set('secretNote', `${device} only`)
      return session.id
    })
    browsers.set(device, browser)
    ids.set(device, id)
    vi.advanceTimersByTime(1000)
  }
  let list = storage.listUserSessions
  let destroy = storage.destroySessionByHandle
  if (list === undefined || destroy === undefined) throw new Error('not a server storage')
  return { storage, browsers, ids, list, destroy }
}

/** `listUserSessions` and `destroySessionByHandle`: a user's own sessions. */
export function itListsUserSessions(factory: StorageFactory, cookie: Cookie): void {
  it('lists each live session of the user, most recent first, with times, chosen values and no ids', async () => {
    let start = Date.now()
    let ada = newUser('ada')
    let { browsers, ids, list } = await logIn(factory, cookie, ada, ['laptop', 'phone'])
    let phone = (await browsers.get('phone')?.request((session) => session)) as Session
    let sessions = await list(ada, { keys: ['device'], current: phone })
    expect(sessions.map((entry) => [entry.values, entry.current])).toEqual([
      [{ device: 'phone' }, true],
      [{ device: 'laptop' }, false],
    ])
    let [latest, earliest] = sessions
    expect(earliest?.createdAt.getTime()).toBe(start)
    expect(earliest?.lastUsedAt.getTime()).toBe(start)
    expect(latest?.createdAt.getTime()).toBe(start + 1000)
    // The default idle timeout (7 days) ends each before its absolute timeout (30 days).
    expect(latest?.expiresAt?.getTime()).toBe(start + 1000 + 7 * day)
    expect(latest?.handle).toMatch(/^[\w-]{43}$/)
    expect(latest?.handle).not.toBe(earliest?.handle)
    let text = JSON.stringify(sessions)
    for (let id of ids.values()) expect(text).not.toContain(id)
    expect(text).not.toContain('only')
    // Without keys, no values at all.
    expect((await list(ada)).map((entry) => entry.values)).toEqual([{}, {}])
  })

  it('moves a session up when it is used and renewed, and keeps the list a copy', async () => {
    let ada = newUser('ada')
    let { browsers, list } = await logIn(factory, cookie, ada, ['laptop', 'phone'])
    vi.advanceTimersByTime(day) // past a tenth of the idle timeout: the next use renews
    let renewedAt = Date.now()
    await browsers.get('laptop')?.request((session) => session.get('userId'))
    let [first] = await list(ada, { keys: ['device'] })
    expect(first?.values).toEqual({ device: 'laptop' })
    expect(first?.lastUsedAt.getTime()).toBe(renewedAt)
    if (first) first.values.device = 'changed'
    let again = await list(ada, { keys: ['device'] })
    expect(again[0]?.values).toEqual({ device: 'laptop' })
  })

  it('leaves out sessions logged out, expired, or saved since under another user', async () => {
    let [ada, bob] = [newUser('ada'), newUser('bob')]
    let { browsers, list } = await logIn(factory, cookie, ada, ['laptop', 'phone', 'tablet', 'tv'])
    await browsers.get('laptop')?.request((session) => session.destroy())
    await browsers.get('phone')?.request((session) => session.set('userId', bob))
    let devices = async (user: string) =>
      (await list(user, { keys: ['device'] })).map((entry) => entry.values.device)
    expect(await devices(ada)).toEqual(['tv', 'tablet'])
    expect(await devices(bob)).toEqual(['phone'])
    vi.advanceTimersByTime(6 * day)
    await browsers.get('tv')?.request((session) => session.get('userId'))
    vi.advanceTimersByTime(2 * day) // the tablet, unused for 8 days, is past its idle timeout
    expect(await devices(ada)).toEqual(['tv'])
    expect(await devices(newUser('nobody'))).toEqual([])
  })

  it('names a user by a number as by its decimal string', async () => {
    let user = Math.floor(Math.random() * 2 ** 52)
    let { list } = await logIn(factory, cookie, user, ['laptop'])
    expect(await list(user)).toHaveLength(1)
    expect(await list(String(user))).toHaveLength(1)
    expect(await list(BigInt(user))).toHaveLength(1)
  })

  it('destroySessionByHandle ends that one session of that user, and nothing else', async () => {
    let [ada, bob] = [newUser('ada'), newUser('bob')]
    let { storage, browsers, list, destroy } = await logIn(factory, cookie, ada, [
      'laptop',
      'phone',
    ])
    let other = await logIn(factory, cookie, bob, ['desktop'])
    let [phone, laptop] = await list(ada)
    let [desktop] = await other.list(bob)
    expect(await destroy(bob, phone?.handle as string)).toBe(false)
    expect(await destroy(ada, desktop?.handle as string)).toBe(false)
    expect(await destroy(ada, 'not a handle')).toBe(false)
    // The last character changed (to another one a SHA-256 in base64url can end with).
    let changed = `${phone?.handle.slice(0, 42)}${phone?.handle.endsWith('A') ? 'E' : 'A'}`
    expect(await destroy(ada, changed)).toBe(false)
    expect(await list(ada)).toHaveLength(2)
    // A request from the phone, in flight while the session is ended, cannot save it back.
    let inFlight = await storage.read(
      await cookie.parse(browsers.get('phone')?.cookieHeader ?? null),
    )
    expect(await destroy(ada, phone?.handle as string)).toBe(true)
    expect(await destroy(ada, phone?.handle as string)).toBe(false)
    inFlight.set('cart', ['book'])
    expect(await storage.save(inFlight)).toBe('')
    await browsers.get('phone')?.request((session) => expect(session.data[0]).toEqual({}))
    await browsers.get('laptop')?.request((session) => expect(session.get('device')).toBe('laptop'))
    expect((await list(ada)).map((entry) => entry.handle)).toEqual([laptop?.handle])
    expect(await other.list(bob)).toHaveLength(1)
  })

  it("never ends a session that became another user's, nor one ended meanwhile", async () => {
    let [ada, bob] = [newUser('ada'), newUser('bob')]
    let { browsers, list, destroy } = await logIn(factory, cookie, ada, ['laptop', 'phone'])
    let [phone, laptop] = await list(ada)
    // After the list was shown: the phone signs in as bob (same id), the laptop logs out.
    await browsers.get('phone')?.request((session) => session.set('userId', bob))
    await browsers.get('laptop')?.request((session) => session.destroy())
    expect(await destroy(ada, phone?.handle as string)).toBe(false)
    expect(await destroy(ada, laptop?.handle as string)).toBe(false)
    await browsers.get('phone')?.request((session) => expect(session.get('userId')).toBe(bob))
    expect(await list(bob)).toHaveLength(1)
  })

  it('says true to only one of two clicks ending the same session at once', async () => {
    let ada = newUser('ada')
    let { list, destroy } = await logIn(factory, cookie, ada, ['laptop', 'phone'])
    let [phone] = await list(ada)
    let handle = phone?.handle as string
    expect((await Promise.all([destroy(ada, handle), destroy(ada, handle)])).sort()).toEqual([
      false,
      true,
    ])
    expect(await list(ada)).toHaveLength(1)
  })

  it('refuses without the userKey option, and for a user that cannot name one', async () => {
    let plain = factory()
    await expect(plain.listUserSessions?.('ada')).rejects.toThrow(/needs the userKey option/)
    await expect(plain.destroySessionByHandle?.('ada', 'x')).rejects.toThrow(TypeError)
    let { list, destroy } = await logIn(factory, cookie, newUser('ada'), [])
    await expect(list('\uD800')).rejects.toThrow(TypeError)
    await expect(list(1.5)).rejects.toThrow(
      /takes a string \(without lone surrogates\), a safe integer or a bigint/,
    )
    await expect(destroy({} as string, 'x')).rejects.toThrow(TypeError)
  })
}
