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
  /** `HGETALL`: an object of fields. */
  hGetAll(key: string): Promise<unknown>
  /** `EVALSHA`. */
  evalSha(sha1: string, options: ScriptOptions): Promise<unknown>
  /** `EVAL`. */
  eval(script: string, options: ScriptOptions): Promise<unknown>
  /**
   * The connection with another type mapping for its replies (node-redis 5 and 6; node-redis 4
   * has none, and answers with Redis's types).
   */
  withTypeMapping?(typeMapping: Record<never, never>): NodeRedisConnection
}

/** Where node-redis 5 and 6 keep a connection's command options (a sentinel: `commandOptions`). */
interface CommandOptionsHolder {
  _commandOptions?: { typeMapping?: object }
  commandOptions?: { typeMapping?: object }
}

/** Whether `client` looks like a node-redis client or cluster. */
export function isNodeRedis(client: object): client is NodeRedisConnection {
  let candidate = client as Partial<NodeRedisConnection>
  return typeof candidate.hGetAll === 'function' && typeof candidate.evalSha === 'function'
}

/**
 * Adapts a node-redis client or cluster. The client is yours: connect it before use (as with
 * Remix), and close it yourself; the storage never opens or closes it. One made with a
 * `typeMapping` (integers as strings, strings as Buffers...) is used through
 * `withTypeMapping({})`, node-redis's default types: read through the mapping, the scripts'
 * replies would be misread and no stored value would parse. One without is used as it is.
 */
export function adaptNodeRedis(connection: NodeRedisConnection): RedisSessionClient {
  checkPromiseApi(connection)
  let client = mapsTypes(connection) ? defaultTypes(connection) : connection
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
 * Refuses node-redis's legacy mode (`client.legacy()`): its commands take callbacks and return
 * nothing. It has `sendCommand` but neither `connect` (which every client, cluster, pool and
 * sentinel of node-redis 4 to 6 has) nor `isOpen` (which a sentinel's lease, `acquire()`, has).
 *
 * @throws {TypeError} naming the way out.
 */
function checkPromiseApi(connection: NodeRedisConnection): void {
  let candidate = connection as { sendCommand?: unknown; connect?: unknown }
  let legacy =
    typeof candidate.sendCommand === 'function' &&
    typeof candidate.connect !== 'function' &&
    !('isOpen' in connection)
  if (!legacy) return
  throw new TypeError(
    'createRedisSessionStorage(): the node-redis client is in legacy mode (client.legacy(): callbacks, no promises): give the client itself',
  )
}

/** Whether `connection` was made (or proxied) with a type mapping of any type. */
function mapsTypes(connection: NodeRedisConnection): boolean {
  let holder = connection as CommandOptionsHolder
  let typeMapping = (holder._commandOptions ?? holder.commandOptions)?.typeMapping
  return (
    typeof typeMapping === 'object' && typeMapping !== null && Object.keys(typeMapping).length > 0
  )
}

/**
 * `connection` with node-redis's default types.
 *
 * @throws {TypeError} when it cannot give one (no `withTypeMapping`, or one that gives no client).
 */
function defaultTypes(connection: NodeRedisConnection): NodeRedisConnection {
  let mapped = connection.withTypeMapping?.({})
  if (!isNodeRedis(mapped ?? {})) {
    throw new TypeError(
      'createRedisSessionStorage(): the node-redis client maps Redis types (typeMapping) and gives no client without the mapping: give one made without typeMapping',
    )
  }
  return mapped as NodeRedisConnection
}

/**
 * A hash's fields as an object, as node-redis gives them: an object (RESP3, or `hGetAll` on
 * RESP2), or the list RESP2 sends (field, value, …) to a raw `HGETALL`, made an object with no
 * prototype, so that a field the hash lacks reads as `undefined` whatever `Object.prototype` holds.
 */
export function fieldsOf(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply)) return reply as Record<string, string>
  let list = reply as string[]
  let fields: Record<string, string> = Object.create(null)
  for (let index = 0; index < list.length; index += 2) {
    fields[list[index] as string] = list[index + 1] as string
  }
  return fields
}
