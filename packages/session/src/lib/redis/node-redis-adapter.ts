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
  /**
   * The client with another type mapping for its replies (node-redis 5 and 6; node-redis 4 has
   * none, and answers with Redis's types).
   */
  withTypeMapping?(typeMapping: Record<never, never>): NodeRedisConnection
}

/** Whether `client` looks like a node-redis client or cluster. */
export function isNodeRedis(client: object): client is NodeRedisConnection {
  let candidate = client as Partial<NodeRedisConnection>
  return typeof candidate.hGetAll === 'function' && typeof candidate.evalSha === 'function'
}

/**
 * Adapts a node-redis client or cluster. The client is yours: connect it before use (as with
 * Remix), and close it yourself; the storage never opens or closes it. Its commands run with
 * node-redis's default type mapping whatever the client was made with: a mapping of integers to
 * strings or of strings to Buffers would otherwise have the scripts' replies misread (a cap that
 * unlists live sessions, a sign-out that counts none) and every stored value fail to parse.
 */
export function adaptNodeRedis(connection: NodeRedisConnection): RedisSessionClient {
  let client = connection.withTypeMapping?.({}) ?? connection
  return {
    // A cluster routes each command by its keys; a single client has no `getSlotMaster`.
    cluster: typeof (connection as { getSlotMaster?: unknown }).getSlotMaster === 'function',
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
