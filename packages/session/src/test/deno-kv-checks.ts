// Run by Deno (`deno run --unstable-kv`, see deno-kv.test.ts) with a directory for the KV file:
// runs createDenoKvSessionStorage against a real KV file, with two handles on it standing for two
// processes, and prints what each check observed as one JSON line.
import type { DenoKv, KvAtomic, KvKey } from '../deno-kv-storage.ts'
import { createDenoKvSessionStorage } from '../deno-kv-storage.ts'
import { SessionTooLargeError } from '../lib/session-too-large-error.ts'

/** The part of Deno's global this script uses (the package type-checks without Deno's types). */
interface DenoGlobal {
  args: string[]
  openKv(path: string): Promise<
    DenoKv & {
      close(): void
      delete(key: KvKey): Promise<void>
      list(selector: { prefix: KvKey }): AsyncIterable<{ key: KvKey }>
    }
  >
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno

/** A hook run before a commit (or a plain delete) that deletes a key `match` accepts. */
interface DeleteHook {
  match: (key: KvKey) => boolean
  run: () => Promise<void>
}

/**
 * A KV handle that counts failed commits, records `expireIn`, can run a hook before a commit or
 * before a delete of chosen keys, and can fail its next `failGets` reads with "database is locked".
 */
function watched(kv: DenoKv) {
  let seen = {
    conflicts: 0,
    expireIns: [] as number[],
    beforeCommit: [] as (() => Promise<void>)[],
    beforeDelete: [] as DeleteHook[],
    failGets: 0,
  }
  let runDeleteHook = async (key: KvKey) => {
    let index = seen.beforeDelete.findIndex((hook) => hook.match(key))
    if (index >= 0) await seen.beforeDelete.splice(index, 1)[0]?.run()
  }
  // `delete` stays for a storage that deletes without a check.
  let wrapped: DenoKv & { delete(key: KvKey): Promise<void> } = {
    get(key) {
      if (seen.failGets > 0) {
        seen.failGets--
        return Promise.reject(new TypeError('database is locked'))
      }
      return kv.get(key)
    },
    async delete(key) {
      await runDeleteHook(key)
      await (kv as unknown as { delete(key: KvKey): Promise<void> }).delete(key)
    },
    atomic() {
      let inner = kv.atomic()
      let deleted: KvKey[] = []
      let atomic: KvAtomic = {
        check(...checks) {
          inner.check(...checks)
          return atomic
        },
        set(key: KvKey, value: unknown, options?: { expireIn?: number }) {
          if (options?.expireIn !== undefined) seen.expireIns.push(options.expireIn)
          inner.set(key, value, options)
          return atomic
        },
        delete(key: KvKey) {
          deleted.push(key)
          inner.delete(key)
          return atomic
        },
        async commit() {
          for (let key of deleted) await runDeleteHook(key)
          if (deleted.length === 0) await seen.beforeCommit.shift()?.()
          let result = await inner.commit()
          if (!result.ok) seen.conflicts++
          return result
        },
      }
      return atomic
    },
  }
  return { kv: wrapped, seen }
}

/** An id no session has: 32 hex digits (a valid session id form). */
function unusedId(): string {
  return crypto.randomUUID().replaceAll('-', '')
}

const kv1 = await deno.openKv(`${deno.args[0]}/sessions.kv`)
const kv2 = await deno.openKv(`${deno.args[0]}/sessions.kv`)
const one = watched(kv1)
const two = watched(kv2)
const options = { userKey: 'userId', idleTimeout: 3600 }
const a = createDenoKvSessionStorage(one.kv, options)
const b = createDenoKvSessionStorage(two.kv, options)
const results: Record<string, unknown> = {}

// A session saved by one process is read by the other.
{
  let session = await a.read(null)
  session.set('cart', 3)
  let id = (await a.save(session)) as string
  results.roundTrip = (await b.read(id)).get('cart')
}

// Both processes read one session; B's write is about to commit when A's lands first: B's
// versionstamp check fails, B merges again from a fresh read, and both keys persist.
{
  let first = await a.read(null)
  first.set('start', true)
  let id = (await a.save(first)) as string
  let inA = await a.read(id)
  let inB = await b.read(id)
  inA.set('fromA', 1)
  inB.set('fromB', 2)
  two.seen.beforeCommit.push(async () => void (await a.save(inA)))
  await b.save(inB)
  let after = await a.read(id)
  results.interleaved = {
    fromA: after.get('fromA'),
    fromB: after.get('fromB'),
    conflicts: two.seen.conflicts,
  }
  // Twenty saves at once from both processes, each setting its own key.
  let saves = Array.from({ length: 20 }, async (_, n) => {
    let storage = n % 2 === 0 ? a : b
    let session = await storage.read(id)
    session.set(`k${n}`, n)
    await storage.save(session)
  })
  await Promise.all(saves)
  let final = await b.read(id)
  results.parallel = Array.from({ length: 20 }, (_, n) => final.get(`k${n}`))
}

// Writes carry expireIn (at most the idle timeout); past it the session reads as new and its
// entry is deleted.
{
  let session = await a.read(null)
  session.set('cart', 1)
  let id = (await a.save(session)) as string
  let expireIn = one.seen.expireIns.at(-1) as number
  let realNow = Date.now
  let later = realNow() + 3600_000 + 1
  Date.now = () => later
  try {
    let expired = await b.read(id)
    results.expiry = {
      expireInAtMostIdle: expireIn > 0 && expireIn <= 3600_000,
      cartAfterIdle: expired.get('cart') ?? null,
      entryAfterRead: (await kv1.get(['session', id])).versionstamp,
    }
  } finally {
    Date.now = realNow
  }
}

// A login with regenerateId(true): the old id answers with an empty session that saves nothing.
{
  let session = await a.read(null)
  session.set('cart', 5)
  let oldId = (await a.save(session)) as string
  let login = await b.read(oldId)
  login.set('userId', 'ada')
  login.regenerateId(true)
  let newId = (await b.save(login)) as string
  let stale = await a.read(oldId)
  let fresh = await a.read(newId)
  results.regenerate = {
    changed: newId !== oldId,
    staleCart: stale.get('cart') ?? null,
    staleSave: await a.save(stale),
    newCart: fresh.get('cart'),
    newUser: fresh.get('userId'),
  }
}

// destroyUserSessions from one process ends the user's sessions saved by both.
{
  let ids: string[] = []
  for (let storage of [a, b, b]) {
    let session = await storage.read(null)
    session.set('userId', 'grace')
    ids.push((await storage.save(session)) as string)
  }
  let ended = await a.destroyUserSessions('grace')
  let users = await Promise.all(ids.map(async (id) => (await b.read(id)).get('userId') ?? null))
  results.destroyUser = { ended, users }
}

// listUserSessions in one process lists the user's sessions saved by both; ending one by its
// handle from the other ends it for both.
{
  for (let [storage, device] of [
    [a, 'laptop'],
    [b, 'phone'],
  ] as const) {
    let session = await storage.read(null)
    session.set('userId', 'kim')
    session.set('device', device)
    await storage.save(session)
  }
  let listed = await a.listUserSessions('kim', { keys: ['device'] })
  let phone = listed.find((entry) => entry.values.device === 'phone')
  let ended = await b.destroySessionByHandle('kim', phone?.handle ?? '')
  let left = await b.listUserSessions('kim', { keys: ['device'] })
  results.listUser = {
    devices: listed.map((entry) => entry.values.device).sort(),
    ended,
    left: left.map((entry) => entry.values.device),
  }
  await a.destroyUserSessions('kim')
}

// A logout in B empties its user's index; before B deletes it, A logs the same user in: B's
// checked delete fails and B takes its session out again, so A's login stays listed. The logout's
// delete of its own record, changed by A meanwhile, is checked too.
{
  let first = await a.read(null)
  first.set('userId', 'lin')
  let id = (await a.save(first)) as string
  let logout = await b.read(id)
  logout.destroy()
  let conflicts = two.seen.conflicts
  two.seen.beforeDelete.push({
    match: (key) => key[1] === id,
    run: async () => {
      let renewed = await a.read(id)
      renewed.set('seen', 1)
      await a.save(renewed)
    },
  })
  two.seen.beforeDelete.push({
    match: (key) => String(key[1]).startsWith('user.'),
    run: async () => {
      let login = await a.read(null)
      login.set('userId', 'lin')
      await a.save(login)
    },
  })
  await b.save(logout)
  results.logoutRace = {
    conflicts: two.seen.conflicts - conflicts,
    loggedOut: (await a.read(id)).get('userId') ?? null,
    ended: await a.destroyUserSessions('lin'),
  }
}

// B's save reads the session, then (logging a user in) writes the user index; meanwhile A saves
// the session, and B makes over 10,000 other reads then reads the session again (A's newer
// versionstamp): B's record write must still be checked against its own read, and merge again.
{
  let first = await a.read(null)
  first.set('start', true)
  let id = (await a.save(first)) as string
  let inA = await a.read(id)
  let inB = await b.read(id)
  inA.set('fromA', 1)
  inB.set('userId', 'max')
  two.seen.beforeCommit.push(async () => {
    await a.save(inA)
    for (let n = 0; n <= 10_000; n++) await b.read(unusedId())
    await b.read(id)
  })
  await b.save(inB)
  let after = await a.read(id)
  results.staleStamp = { fromA: after.get('fromA') ?? null, userId: after.get('userId') ?? null }
}

// A session over Deno KV's 64 KiB, and a user index over it: an app error naming the limit.
{
  let describe = (error: unknown) => {
    let { name, limit, message } = error as SessionTooLargeError
    return {
      name,
      isSessionTooLarge: error instanceof SessionTooLargeError,
      limit,
      namesLimit: message.includes('65536'),
      suggestsCap: message.includes('maxSessionsPerUser'),
    }
  }
  let big = await a.read(null)
  big.set('blob', 'x'.repeat(70_000))
  results.tooLarge = await a.save(big).then(() => 'saved', describe)
  let many = createDenoKvSessionStorage(one.kv, {
    ...options,
    prefix: ['many'],
    maxSessionsPerUser: Number.POSITIVE_INFINITY,
  })
  let indexTooLarge: unknown = 'saved'
  for (let n = 0; n < 3000 && indexTooLarge === 'saved'; n++) {
    let session = await many.read(null)
    session.set('userId', 'pat')
    indexTooLarge = await many.save(session).then(() => 'saved', describe)
  }
  results.indexTooLarge = indexTooLarge
  for await (let entry of kv1.list({ prefix: ['many'] })) await kv1.delete(entry.key)
}

// A read that finds the KV file locked by another writer is run again.
{
  let session = await a.read(null)
  session.set('cart', 7)
  let id = (await a.save(session)) as string
  two.seen.failGets = 1
  results.lockedRead = await b.read(id).then(
    (read) => read.get('cart'),
    (error: Error) => error.message,
  )
}

kv1.close()
kv2.close()
console.log(JSON.stringify(results))
