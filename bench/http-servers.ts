/** A server of the HTTP benchmark: `servers/<file>.ts`, shown as `label`. */
export interface HttpServer {
  file: string
  label: string
}

/** Label of the ceiling, the baseline of every HTTP ratio. */
export const ceilingLabel = 'ceiling: node:http + HMAC cookie'

/** Every server of the HTTP benchmark, the ceiling first. */
export const httpServers: readonly HttpServer[] = [
  { file: 'ceiling', label: ceilingLabel },
  { file: 'ours-cookie', label: 'ours + cookie storage' },
  { file: 'ours-memory', label: 'ours + memory storage' },
  { file: 'ours-redis', label: 'ours + Redis storage' },
  { file: 'hono', label: 'hono + signed cookie' },
  { file: 'express-session', label: 'express 5 + express-session (memory)' },
  { file: 'remix', label: 'remix fetch-router + session cookie storage' },
  { file: 'express-redis', label: 'express 5 + express-session + connect-redis' },
]
