import type {
  Found,
  ListedSession,
  Origin,
  RecordStore,
  WriteOutcome,
  WritePlan,
} from '../record-store.ts'
import { indexUntil, userOf } from '../record-store.ts'
import { sessionChanges, sessionValue } from '../session.ts'
import { isSessionId } from '../session-id.ts'
import { expiresAt, type Lifetime } from '../session-lifetime.ts'
import type { RedisSessionClient } from './redis-client.ts'
import { decodeFields, fieldChanges, isRetiredMarker } from './redis-fields.ts'
import {
  confirmScript,
  dropScript,
  endScript,
  forgetScript,
  indexScript,
  listedScript,
  membersScript,
  purgeScript,
  type RedisScript,
  retireScript,
  ScriptReply,
  saveScript,
  scriptChunk,
  stateScript,
  unindexScript,
  usageScript,
} from './redis-scripts.ts'

const outcomes: Record<number, WriteOutcome> = {
  [ScriptReply.gone]: 'gone',
  [ScriptReply.written]: 'written',
  [ScriptReply.retired]: 'retired',
}

/**
 * The {@link RecordStore} on Redis: a session is a hash (`<prefix><id>`), each operation one Lua
 * script, atomic in Redis, so saves from many servers merge key by key. On a single server (or
 * Sentinel) a save touches the session, the id it was read under (after `regenerateId`) and the
 * user's index (`<prefix>user:<user>`, a sorted set) in one script. On Redis Cluster
 * (`client.cluster`) every script touches the keys of one hash slot: the index update is a
 * script of its own, before the save, and after it the check of the original id and a
 * confirmation that the index still lists the session (else it is deleted again), so a
 * `destroyUserSessions` or a per-user cap running meanwhile never leaves a live session unlisted.
 */
export class RedisRecords implements RecordStore {
  #client: RedisSessionClient
  #prefix: string

  constructor(client: RedisSessionClient, prefix: string) {
    this.#client = client
    this.#prefix = prefix
  }

  find(id: string): Promise<Found> {
    let reading: Promise<Record<string, string>>
    // A reaction, not an async function awaiting it: one frame fewer on every request's path. As
    // an await would, it takes a client that throws (a WRONGTYPE too) or answers without a promise.
    try {
      reading = Promise.resolve(this.#client.hgetall(this.#key(id)))
    } catch (error) {
      reading = Promise.reject(error)
    }
    return reading.then(foundIn, notAHash)
  }

  async drop(id: string): Promise<void> {
    await this.#run(dropScript, [this.#key(id)], [])
  }

  async write(plan: WritePlan): Promise<WriteOutcome> {
    let { session, now, stored, lifetime, origin } = plan
    let cluster = this.#client.cluster === true
    // A save between renewals keeps the stored expiry: the core renews when the index needs it.
    let renews = plan.renews
    let touchedAt = renews ? now : (sessionChanges(session).touchedAt ?? now)
    let expires = expiresAt({ createdAt: plan.createdAt, touchedAt }, lifetime)
    let user = plan.userKey === undefined ? undefined : userOf(sessionValue(session, plan.userKey))
    let indexed = plan.read?.indexedUntil
    let covered = !plan.userChanged && indexed !== undefined && indexed >= expires
    // '' leaves the index as it is; '-' says the session has no user.
    let until =
      user === undefined ? '-' : covered ? '' : score(indexUntil(plan.createdAt, expires, lifetime))
    let index = user !== undefined && until !== '' ? this.#indexKey(user) : undefined
    let cap = score(plan.maxPerUser, '')
    let candidates: string[] = []
    if (index !== undefined && cluster) {
      // Another slot: its own script, first, so the session is never live yet unlisted. The id a
      // login replaced stays listed until the save is confirmed (see #confirm).
      let args = [plan.id, until, `${now}`, '', cap]
      candidates = (await this.#run(indexScript, [index], args)) as string[]
    }
    let keys = [this.#key(plan.id)]
    if (origin !== undefined && !cluster) keys.push(this.#key(origin.id))
    if (index !== undefined && !cluster) keys.push(index)
    let { set, removed } = fieldChanges(session, stored, now, plan.createdAt, renews)
    let expiry = renews ? score(expires, '') : 'keep'
    let [idle, absolute] = timeouts(lifetime)
    let expect = cluster ? '' : (origin?.expect ?? '')
    let kind = stored ? 'existing' : 'new'
    let count = `${set.length / 2}`
    let args = [
      kind,
      expiry,
      `${now}`,
      plan.id,
      plan.dropped,
      idle,
      absolute,
      until,
      cap,
      expect,
      count,
    ]
    // push, not concat: concat looks up Symbol.isConcatSpreadable on each array (twice the time).
    for (let value of set) args.push(value)
    for (let field of removed) args.push(field)
    let reply = await this.#run(saveScript, keys, args)
    let outcome = saveOutcome(reply)
    if (Array.isArray(reply)) candidates = (reply[1] as string[] | undefined) ?? []
    if (outcome === 'written' && origin !== undefined && cluster) {
      outcome = await this.#checkOrigin(origin, plan, index)
    }
    if (outcome === 'written' && index !== undefined && cluster) {
      outcome = await this.#confirm(index, plan)
    }
    if (candidates.length > 0 && user !== undefined) {
      await this.#evict(user, candidates, now, lifetime)
    }
    return outcome
  }

  async retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    let args = [`${until}`, `${now}`, ...timeouts(lifetime)]
    return outcomes[(await this.#run(retireScript, [this.#key(id)], args)) as number] ?? 'gone'
  }

  async forget(
    originalId: string,
    id: string,
    user: string | undefined,
    now: number,
  ): Promise<WriteOutcome> {
    let index = user === undefined ? undefined : this.#indexKey(user)
    let together = index !== undefined && !this.#client.cluster
    let keys = together ? [this.#key(originalId), index as string] : [this.#key(originalId)]
    let reply = await this.#run(forgetScript, keys, [originalId, `${now}`])
    if (reply === ScriptReply.retired) return 'retired'
    if (id !== originalId) await this.#run(dropScript, [this.#key(id)], [])
    if (index !== undefined && !together) await this.#unindex(index, [originalId], now)
    return 'written'
  }

  async unindex(user: string, id: string, now: number): Promise<void> {
    await this.#unindex(this.#indexKey(user), [id], now)
  }

  async destroyUser(user: string, now: number, lifetime: Lifetime): Promise<number> {
    let index = this.#indexKey(user)
    let ended = 0
    // Chunk by chunk until the index is empty, or one more chunk after the first that was not
    // full: that one ends the logins that were in flight when the last of the sessions listed at
    // the start were ended; a client that keeps logging in cannot keep this call running.
    let last = false
    for (;;) {
      let args = [`${now}`, `${scriptChunk}`]
      let ids = (await this.#run(membersScript, [index], args)) as string[]
      if (ids.length === 0) return ended
      ended += await this.#purge(index, ids, now, lifetime)
      if (last) return ended
      last = ids.length < scriptChunk
    }
  }

  async endUserSession(
    id: string,
    owner: { user: string; userKey: string },
    now: number,
    lifetime: Lifetime,
  ): Promise<boolean> {
    let key = this.#key(id)
    let fields = await this.#client.hgetall(key).catch((error: unknown) => {
      // Not a hash: no session of anyone's.
      if (isWrongType(error)) return {} as Record<string, string>
      throw error
    })
    let record = isRetiredMarker(fields) ? null : decodeFields(fields)
    if (record === null || userOf(record.values[owner.userKey]) !== owner.user) return false
    // The user field as read: the script deletes the session only if it still holds it.
    let field = `v:${owner.userKey}`
    let expected = fields[field] as string
    let index = this.#indexKey(owner.user)
    let together = this.#client.cluster !== true
    let args = [`${now}`, ...timeouts(lifetime), field, expected, id]
    let reply = await this.#run(endScript, together ? [key, index] : [key], args)
    if (reply !== 1) return false
    if (!together) await this.#unindex(index, [id], now)
    return true
  }

  async listUser(user: string, now: number): Promise<ListedSession[]> {
    let ids = (await this.#run(listedScript, [this.#indexKey(user)], [`${now}`])) as string[]
    return Promise.all(ids.map(async (id) => ({ id, found: await this.find(id) })))
  }

  /**
   * On Cluster, after a save under a new id: whether the id it was read under still holds what it
   * must. If not (a logout or `destroyUserSessions` got there first), the new record is deleted.
   */
  async #checkOrigin(
    origin: Origin,
    plan: WritePlan,
    index: string | undefined,
  ): Promise<WriteOutcome> {
    let args = [`${plan.now}`, ...timeouts(plan.lifetime)]
    let found = await this.#run(stateScript, [this.#key(origin.id)], args)
    let expected = origin.expect === 'live' ? ScriptReply.written : ScriptReply.retired
    if (found === expected) return 'written'
    await this.#run(dropScript, [this.#key(plan.id)], [])
    if (index !== undefined) await this.#unindex(index, [plan.id], plan.now)
    return found === ScriptReply.retired ? 'retired' : 'gone'
  }

  /**
   * On Cluster, after a save that listed its session in a script of its own: forgets the id the
   * login replaced and checks that the index still lists the session. If not (a
   * `destroyUserSessions` or another login's per-user cap unlisted it before its record was
   * written), the session is deleted: it is never left live and unlisted.
   */
  async #confirm(index: string, plan: WritePlan): Promise<WriteOutcome> {
    let listed = await this.#run(confirmScript, [index], [plan.id, plan.dropped, `${plan.now}`])
    if (listed === 1) return 'written'
    await this.#run(dropScript, [this.#key(plan.id)], [])
    return 'gone'
  }

  /**
   * Enforces the per-user cap: `candidates` is how many sessions are too many, then the listed
   * ids that may go. Those that are no longer live sessions (expired, deleted, retired) are
   * unlisted at no cost to anyone; then, while still over the cap, the live ones used least
   * recently are deleted. So a dead id (one carried over from the first release's index, say)
   * never costs a live session its place, and a device in use outlives one left unused.
   */
  async #evict(user: string, candidates: string[], now: number, lifetime: Lifetime): Promise<void> {
    let [excess, ...ids] = candidates
    let index = this.#indexKey(user)
    checkIds(index, ids)
    let args = [`${now}`, ...timeouts(lifetime)]
    let usage = (await Promise.all(
      ids.map((id) => this.#run(usageScript, [this.#key(id)], args)),
    )) as [number, string][]
    let dead = ids.filter((_, n) => usage[n]?.[0] !== ScriptReply.written)
    let live = ids
      .map((id, n) => ({ id, used: Number(usage[n]?.[1]) || 0 }))
      .filter((_, n) => usage[n]?.[0] === ScriptReply.written)
      .sort((a, b) => a.used - b.used)
    let over = Number(excess) - dead.length
    let victims = over > 0 ? live.slice(0, over).map(({ id }) => id) : []
    if (dead.length > 0) await this.#unindex(index, dead, now)
    if (victims.length > 0) await this.#purge(index, victims, now, lifetime)
  }

  /**
   * Deletes `ids` (at most {@link scriptChunk}), sessions and markers alike, one key per script
   * (they may live on different Cluster nodes), then takes them out of `index`: a failure part
   * way leaves them listed. On Cluster, where a login lists its session before writing it, the
   * keys are deleted once more after the unlisting: a login that wrote its record between the two
   * is ended too (its own check then finds it unlisted). Resolves to how many were live sessions.
   */
  async #purge(index: string, ids: string[], now: number, lifetime: Lifetime): Promise<number> {
    checkIds(index, ids)
    let args = [`${now}`, ...timeouts(lifetime)]
    let purge = async () => {
      let replies = await Promise.all(
        ids.map((id) => this.#run(purgeScript, [this.#key(id)], args)),
      )
      return replies.filter((reply) => reply === 1).length
    }
    let ended = await purge()
    await this.#unindex(index, ids, now)
    if (this.#client.cluster === true) ended += await purge()
    return ended
  }

  async #unindex(index: string, ids: string[], now: number): Promise<void> {
    await this.#run(unindexScript, [index], [`${now}`, ...ids])
  }

  #run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    let sha1 = script.knownSha1
    if (sha1 === undefined) {
      return script.sha1().then((hex) => this.#client.evalScript(script.source, hex, keys, args))
    }
    // Once known, without waiting a turn for it (a save is on every request's path); a client
    // that throws instead of rejecting still rejects, as an async function would.
    try {
      return this.#client.evalScript(script.source, sha1, keys, args)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  #key(id: string): string {
    return `${this.#prefix}${id}`
  }

  #indexKey(user: string): string {
    return `${this.#prefix}user:${user}`
  }
}

/**
 * Refuses ids that are not session ids: the key is not an index this storage wrote, and no key
 * is deleted for what it lists.
 *
 * @throws {Error} naming the key.
 */
function checkIds(index: string, ids: readonly string[]): void {
  if (ids.every((id) => isSessionId(id))) return
  throw new Error(
    `The key ${index} lists something other than session ids: keyPrefix must hold sessions only`,
  )
}

/**
 * What the save script's reply says: a bare {@link ScriptReply}, or `{1, candidates}` past the
 * per-user cap.
 *
 * @throws {Error} for any other reply (a client that maps Redis's types): the storage fails rather
 * than reading it as a session gone, which would sign the user out.
 */
function saveOutcome(reply: unknown): WriteOutcome {
  let code = Array.isArray(reply) ? reply[0] : reply
  let outcome = typeof code === 'number' ? outcomes[code] : undefined
  if (outcome === undefined) {
    throw new Error(
      `The Redis save script answered ${String(reply)}, not one of its replies: does the client map Redis's integers to strings?`,
    )
  }
  return outcome
}

/** What a read found in a hash's fields. */
function foundIn(fields: Record<string, string>): Found {
  if (isEmpty(fields)) return { kind: 'none' }
  if (isRetiredMarker(fields)) return { kind: 'retired', until: Number(fields.r) || 0 }
  let record = decodeFields(fields)
  return record === null ? { kind: 'corrupt' } : { kind: 'record', record }
}

/** A read that failed because the key is not a hash found a corrupt record. */
function notAHash(error: unknown): Found {
  if (isWrongType(error)) return { kind: 'corrupt' }
  throw error
}

/** Whether `error` is Redis's `WRONGTYPE`: the key holds something other than a hash. */
function isWrongType(error: unknown): boolean {
  return String(error).includes('WRONGTYPE')
}

/** Whether a hash's fields are none (without listing them, as `Object.keys` would). */
function isEmpty(fields: Record<string, string>): boolean {
  for (let field in fields) if (Object.hasOwn(fields, field)) return false
  return true
}

/** A time in ms (or a count) as a script takes it: `infinite` (default `inf`) for never. */
function score(ms: number, infinite = 'inf'): string {
  return Number.isFinite(ms) ? `${ms}` : infinite
}

/** The idle and absolute timeouts in ms, as the scripts take them ('' for none). */
function timeouts({ idleMs, absoluteMs }: Lifetime): [string, string] {
  return [score(idleMs, ''), score(absoluteMs, '')]
}
