/** A server of the HTTP benchmark: `servers/<file>.ts`, shown as `label`. */
export interface HttpServer {
  file: string
  label: string
  /**
   * Whether the server uses the HTTP section's own Redis Cluster, whose seed addresses it then
   * finds in `BENCH_REDIS_CLUSTER`. Default `false`.
   */
  redisCluster?: boolean
  /**
   * Whether the server keeps its sessions in Redis: the bench's own redis-server on the load
   * generator's core (`load-core-redis.ts`), given as `REDIS_URL`, whose CPU time the HTTP
   * section reads around each measured run. Default `false`.
   */
  redis?: boolean
}

/**
 * The environment `server` starts with: `BENCH_REDIS_CLUSTER` for a Redis Cluster server, and
 * `REDIS_URL` (`redisUrl`) for a Redis one.
 *
 * @throws {Error} for a Redis server without `redisUrl`, or a Redis Cluster one without
 * `clusterEnv`: it would otherwise write to the machine's Redis, or find no cluster.
 */
export function serverEnvironment(
  server: HttpServer,
  { clusterEnv, redisUrl }: { clusterEnv?: Record<string, string>; redisUrl?: string },
): Record<string, string> {
  if (server.redisCluster === true) {
    if (clusterEnv === undefined) throw new Error(`servers/${server.file}.ts needs a Redis Cluster`)
    return clusterEnv
  }
  if (server.redis === true) {
    if (redisUrl === undefined) throw new Error(`servers/${server.file}.ts needs a redis-server`)
    return { REDIS_URL: redisUrl }
  }
  return {}
}

/** Label of the ceiling, the baseline of every HTTP ratio. */
export const ceilingLabel = 'ceiling: node:http + HMAC cookie'

/** Every server of the HTTP benchmark, the ceiling first. */
export const httpServers: readonly HttpServer[] = [
  { file: 'ceiling', label: ceilingLabel },
  { file: 'fetch-handwritten', label: 'Fetch handler (@hono/node-server) + HMAC cookie' },
  { file: 'fetch-session', label: 'Fetch handler + hand-written session cookie (id, data, times)' },
  {
    file: 'handwritten-redis',
    label: 'Redis floor: node:http + HMAC id cookie + Redis hash',
    redis: true,
  },
  { file: 'ours-cookie', label: 'ours + cookie storage' },
  { file: 'ours-memory', label: 'ours + memory storage' },
  { file: 'ours-memory-plain', label: 'ours + memory storage, `new Response()`' },
  { file: 'ours-redis', label: 'ours + Redis storage', redis: true },
  {
    file: 'ours-redis-thin',
    label: 'ours + the thinnest Redis storage (a prototype: no checks)',
    redis: true,
  },
  { file: 'ours-redis-cluster', label: 'ours + Redis Cluster storage', redisCluster: true },
  { file: 'hono', label: 'hono + signed cookie' },
  { file: 'express-session', label: 'express 5 + express-session (memory)' },
  { file: 'remix', label: 'remix fetch-router + session cookie storage' },
  { file: 'express-redis', label: 'express 5 + express-session + connect-redis', redis: true },
]
