import type { RedisSessionClient } from './redis-client.ts'
import { evalOnNoScript } from './redis-client.ts'

/** How node-redis takes a script's keys and arguments. */
interface ScriptOptions {
  keys: string[]
  arguments: string[]
}

/**
 * The part of a node-redis client (`createClient`) or cluster (`createCluster`) the storage uses.
 * Declared here, not imported, so that ioredis users do not need node-redis installed.
 */
export interface NodeRedisConnection {
  /** `HGETALL`: an object of fields (a `Map` under some RESP3 type mappings). */
  hGetAll(key: string): Promise<unknown>
  /** `EVALSHA`. */
  evalSha(sha1: string, options: ScriptOptions): Promise<unknown>
  /** `EVAL`. */
  eval(script: string, options: ScriptOptions): Promise<unknown>
}

/** Whether `client` looks like a node-redis client or cluster. */
export function isNodeRedis(client: object): client is NodeRedisConnection {
  let candidate = client as Partial<NodeRedisConnection>
  return typeof candidate.hGetAll === 'function' && typeof candidate.evalSha === 'function'
}

/**
 * Adapts a node-redis client or cluster. The client is yours: connect it before use (as with
 * Remix), and close it yourself; the storage never opens or closes it.
 */
export function adaptNodeRedis(client: NodeRedisConnection): RedisSessionClient {
  return {
    // A cluster routes each command by its keys; a single client has no `getSlotMaster`.
    cluster: typeof (client as { getSlotMaster?: unknown }).getSlotMaster === 'function',
    // Plain functions: each adds one promise to node-redis's, where an async function adds a
    // promise and a resumption (a save runs two commands per request).
    hgetall: (key) => client.hGetAll(key).then(fieldsOf),
    evalScript: (script, sha1, keys, args) =>
      evalOnNoScript(client.evalSha(sha1, { keys, arguments: args }), () =>
        client.eval(script, { keys, arguments: args }),
      ),
  }
}

/**
 * A hash's fields as an object, as node-redis may give them: an object (RESP3, or `hGetAll` on
 * RESP2), a `Map` (under some RESP3 type mappings), or the list RESP2 sends (field, value, …) to a
 * raw `HGETALL`, made an object with no prototype, so that a field the hash lacks reads as
 * `undefined` whatever `Object.prototype` holds.
 */
export function fieldsOf(reply: unknown): Record<string, string> {
  if (reply instanceof Map) return Object.fromEntries(reply)
  if (!Array.isArray(reply)) return reply as Record<string, string>
  let list = reply as string[]
  let fields: Record<string, string> = Object.create(null)
  for (let index = 0; index < list.length; index += 2) {
    fields[list[index] as string] = list[index + 1] as string
  }
  return fields
}
