import type { Found, RecordStore, WriteOutcome, WritePlan } from '../record-store.ts'
import { indexUntil } from '../record-store.ts'
import { sessionChanges } from '../session.ts'
import { expiresAt, type Lifetime } from '../session-lifetime.ts'
import type { RedisSessionClient } from './redis-client.ts'
import { decodeFields, fieldChanges, isRetiredMarker } from './redis-fields.ts'
import {
  dropScript,
  forgetScript,
  indexScript,
  membersScript,
  type RedisScript,
  retireScript,
  ScriptReply,
  saveScript,
  unindexScript,
} from './redis-scripts.ts'

const outcomes: Record<number, WriteOutcome> = {
  [ScriptReply.gone]: 'gone',
  [ScriptReply.written]: 'written',
  [ScriptReply.retired]: 'retired',
}

/**
 * The {@link RecordStore} on Redis: a session is a hash (`<prefix><id>`), each operation one Lua
 * script, atomic in Redis, so saves from many servers merge key by key. Every script touches the
 * keys of one hash slot: on Redis Cluster (`client.cluster`) a save that must also extend the
 * user's index (`<prefix>user:<user>`, a sorted set) sends it as a second script, before the save.
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
    let { session, now, stored, lifetime } = plan
    let createdAt = sessionChanges(session).createdAt ?? now
    let expires = expiresAt({ createdAt, touchedAt: now }, lifetime)
    let user = plan.userKey === undefined ? undefined : session.data[0][plan.userKey]
    let indexed = plan.read?.indexedUntil
    let covered = !plan.userChanged && indexed !== undefined && indexed >= expires
    // '' leaves the index as it is; '-' says the session has no user.
    let until =
      typeof user !== 'string'
        ? '-'
        : covered
          ? ''
          : score(indexUntil(createdAt, expires, lifetime))
    let index = typeof user === 'string' && until !== '' ? this.#indexKey(user) : undefined
    if (index !== undefined && this.#client.cluster) {
      // Another slot: its own script, first, so the session is never live yet unlisted.
      await this.#run(indexScript, [index], [plan.id, until, `${now}`, plan.dropped])
    }
    let keys =
      index !== undefined && !this.#client.cluster
        ? [this.#key(plan.id), index]
        : [this.#key(plan.id)]
    let { set, removed } = fieldChanges(session, stored, now, createdAt)
    let args = [stored ? 'existing' : 'new', score(expires, ''), `${now}`, plan.id, plan.dropped]
    args.push(...timeouts(lifetime), until, `${set.length / 2}`, ...set, ...removed)
    return outcomes[(await this.#run(saveScript, keys, args)) as number] ?? 'gone'
  }

  async retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    let args = [until === 0 ? '' : `${until}`, `${now}`, ...timeouts(lifetime)]
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
    if (index !== undefined && !together) await this.#run(unindexScript, [index], [originalId])
    return 'written'
  }

  async unindex(user: string, id: string): Promise<void> {
    await this.#run(unindexScript, [this.#indexKey(user)], [id])
  }

  async destroyUser(user: string, now: number): Promise<number> {
    let index = this.#indexKey(user)
    let ids = (await this.#run(membersScript, [index], [])) as string[]
    if (ids.length === 0) return 0
    // One key per script: sessions may live on different Cluster nodes.
    let replies = await Promise.all(
      ids.map((id) => this.#run(forgetScript, [this.#key(id)], [id, `${now}`])),
    )
    // Only the ids read: a session that logged in meanwhile stays listed.
    await this.#run(unindexScript, [index], ids)
    return replies.filter((reply) => reply === 1).length
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

/** A time in ms as a script takes it: `infinite` (default `inf`) for never. */
function score(ms: number, infinite = 'inf'): string {
  return Number.isFinite(ms) ? `${ms}` : infinite
}

/** The idle and absolute timeouts in ms, as the scripts take them ('' for none). */
function timeouts({ idleMs, absoluteMs }: Lifetime): [string, string] {
  return [score(idleMs, ''), score(absoluteMs, '')]
}
