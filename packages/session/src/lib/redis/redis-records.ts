import type { Found, Origin, RecordStore, WriteOutcome, WritePlan } from '../record-store.ts'
import { indexUntil, userOf } from '../record-store.ts'
import { expiresAt, type Lifetime } from '../session-lifetime.ts'
import type { RedisSessionClient } from './redis-client.ts'
import { decodeFields, fieldChanges, isRetiredMarker } from './redis-fields.ts'
import {
  dropScript,
  forgetScript,
  indexScript,
  membersScript,
  purgeScript,
  type RedisScript,
  retireScript,
  ScriptReply,
  saveScript,
  scriptChunk,
  stateScript,
  unindexScript,
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
 * script of its own, before the save, and the check of the original id one after it.
 */
export class RedisRecords implements RecordStore {
  #client: RedisSessionClient
  #prefix: string

  constructor(client: RedisSessionClient, prefix: string) {
    this.#client = client
    this.#prefix = prefix
  }

  async find(id: string): Promise<Found> {
    let fields: Record<string, string>
    try {
      fields = await this.#client.hgetall(this.#key(id))
    } catch (error) {
      if (String(error).includes('WRONGTYPE')) return { kind: 'corrupt' }
      throw error
    }
    if (Object.keys(fields).length === 0) return { kind: 'none' }
    if (isRetiredMarker(fields)) return { kind: 'retired', until: Number(fields.r) || 0 }
    let record = decodeFields(fields)
    return record === null ? { kind: 'corrupt' } : { kind: 'record', record }
  }

  async drop(id: string): Promise<void> {
    await this.#run(dropScript, [this.#key(id)], [])
  }

  async write(plan: WritePlan): Promise<WriteOutcome> {
    let { session, now, stored, lifetime, origin } = plan
    let cluster = this.#client.cluster === true
    let expires = expiresAt({ createdAt: plan.createdAt, touchedAt: now }, lifetime)
    let user = plan.userKey === undefined ? undefined : userOf(session.data[0][plan.userKey])
    let indexed = plan.read?.indexedUntil
    let covered = !plan.userChanged && indexed !== undefined && indexed >= expires
    // '' leaves the index as it is; '-' says the session has no user.
    let until =
      user === undefined ? '-' : covered ? '' : score(indexUntil(plan.createdAt, expires, lifetime))
    let index = user !== undefined && until !== '' ? this.#indexKey(user) : undefined
    let cap = score(plan.maxPerUser, '')
    let victims: string[] = []
    if (index !== undefined && cluster) {
      // Another slot: its own script, first, so the session is never live yet unlisted.
      let args = [plan.id, until, `${now}`, plan.dropped, cap]
      victims = (await this.#run(indexScript, [index], args)) as string[]
    }
    let keys = [this.#key(plan.id)]
    if (origin !== undefined && !cluster) keys.push(this.#key(origin.id))
    if (index !== undefined && !cluster) keys.push(index)
    let { set, removed } = fieldChanges(session, stored, now, plan.createdAt)
    let args = [stored ? 'existing' : 'new', score(expires, ''), `${now}`, plan.id, plan.dropped]
    args.push(...timeouts(lifetime), until, cap, cluster ? '' : (origin?.expect ?? ''))
    args.push(`${set.length / 2}`, ...set, ...removed)
    let [reply, more] = (await this.#run(saveScript, keys, args)) as [number, string[]?]
    let outcome = outcomes[reply] ?? 'gone'
    if (more !== undefined) victims = more
    if (outcome === 'written' && origin !== undefined && cluster) {
      outcome = await this.#checkOrigin(origin, plan, index)
    }
    if (victims.length > 0 && user !== undefined) await this.#evict(user, victims, now, lifetime)
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
    for (;;) {
      let args = [`${now}`, `${scriptChunk}`]
      let ids = (await this.#run(membersScript, [index], args)) as string[]
      if (ids.length === 0) return ended
      ended += await this.#purge(index, ids, now, lifetime)
    }
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

  /** Deletes the sessions the per-user cap pushed out, then takes them out of the index. */
  async #evict(user: string, ids: string[], now: number, lifetime: Lifetime): Promise<void> {
    for (let first = 0; first < ids.length; first += scriptChunk) {
      await this.#purge(this.#indexKey(user), ids.slice(first, first + scriptChunk), now, lifetime)
    }
  }

  /**
   * Deletes `ids` (at most {@link scriptChunk}), sessions and markers alike, one key per script
   * (they may live on different Cluster nodes), then takes them out of `index`: a failure part
   * way leaves them listed. Resolves to how many were live sessions.
   */
  async #purge(index: string, ids: string[], now: number, lifetime: Lifetime): Promise<number> {
    let args = [`${now}`, ...timeouts(lifetime)]
    let replies = await Promise.all(ids.map((id) => this.#run(purgeScript, [this.#key(id)], args)))
    await this.#unindex(index, ids, now)
    return replies.filter((reply) => reply === 1).length
  }

  async #unindex(index: string, ids: string[], now: number): Promise<void> {
    await this.#run(unindexScript, [index], [`${now}`, ...ids])
  }

  async #run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return this.#client.evalScript(script.source, await script.sha1(), keys, args)
  }

  #key(id: string): string {
    return `${this.#prefix}${id}`
  }

  #indexKey(user: string): string {
    return `${this.#prefix}user:${user}`
  }
}

/** A time in ms (or a count) as a script takes it: `infinite` (default `inf`) for never. */
function score(ms: number, infinite = 'inf'): string {
  return Number.isFinite(ms) ? `${ms}` : infinite
}

/** The idle and absolute timeouts in ms, as the scripts take them ('' for none). */
function timeouts({ idleMs, absoluteMs }: Lifetime): [string, string] {
  return [score(idleMs, ''), score(absoluteMs, '')]
}
