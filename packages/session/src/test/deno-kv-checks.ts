// Run by Deno (`deno run --unstable-kv`, see deno-kv.test.ts) with a directory for the KV file:
// runs createDenoKvSessionStorage against a real KV file, with two handles on it standing for two
// processes, and prints what each check observed as one JSON line.
import type { DenoKv, KvAtomic, KvKey } from '../deno-kv-storage.ts'
import { createDenoKvSessionStorage } from '../deno-kv-storage.ts'

/** The part of Deno's global this script uses (the package type-checks without Deno's types). */
interface DenoGlobal {
  args: string[]
  openKv(path: string): Promise<DenoKv & { close(): void }>
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno

/** A KV handle that counts failed commits, records `expireIn`, and can run a hook before one. */
function watched(kv: DenoKv) {
  let seen = {
    conflicts: 0,
    expireIns: [] as number[],
    beforeCommit: [] as (() => Promise<void>)[],
  }
  let wrapped: DenoKv = {
    get: (key) => kv.get(key),
    delete: (key) => kv.delete(key),
    atomic() {
      let inner = kv.atomic()
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
        async commit() {
          await seen.beforeCommit.shift()?.()
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

kv1.close()
kv2.close()
console.log(JSON.stringify(results))
