/**
 * The Lua scripts of the Redis session storage. Each runs atomically in one round trip. A session
 * is a hash; a retired id is a hash holding only the field `r`; a user's index is a sorted set of
 * session ids scored by when each session expires (ms since the epoch, `inf` for never).
 */

/** A script and its SHA-1, computed once, for `EVALSHA`. */
export class RedisScript {
  readonly source: string
  #sha1: Promise<string> | undefined

  constructor(source: string) {
    this.source = source
  }

  /** The script's SHA-1 in hex, as Redis names cached scripts. */
  sha1(): Promise<string> {
    this.#sha1 ??= sha1Hex(this.source)
    return this.#sha1
  }
}

/** What a save, retire or forget script found, as the integer it returns. */
export const ScriptReply = { gone: 0, written: 1, retired: 2 } as const

// state(key, now, idle, absolute): 0 when the key is gone (no key, or a session or marker expired
// at `now` by the app's clock, which may run ahead of Redis's), 1 for a live session, 2 for a live
// retired marker. `idle` and `absolute` are the timeouts in ms, nil for none.
const stateFunction = `
local function state(key, now, idle, absolute)
  local f = redis.call('HMGET', key, 'r', 't', 'c')
  if f[1] then
    if (tonumber(f[1]) or 0) > now then return 2 end
    return 0
  end
  local t, c = tonumber(f[2]), tonumber(f[3])
  if not t or not c then return 0 end
  if idle and t + idle <= now then return 0 end
  if absolute and c + absolute <= now then return 0 end
  return 1
end
`

// index(key, id, score, now, dropped): forget `dropped` and every member expired at `now`, score
// `id`, and let the key expire with its latest member.
const indexFunction = `
local function index(key, id, score, now, dropped)
  if dropped ~= '' then redis.call('ZREM', key, dropped) end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('ZADD', key, score, id)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]
  if last == 'inf' then redis.call('PERSIST', key)
  else redis.call('PEXPIREAT', key, string.format('%.0f', tonumber(last))) end
end
`

/**
 * Saves a session. KEYS[1] the session; KEYS[2], when given, its user's index. ARGV: mode (`new`
 * replaces the key, `existing` refuses a key deleted, expired or retired since it was read),
 * expiry (ms since the epoch, '' for none), now, the session id, an id to drop from the index (''
 * for none), the idle and absolute timeouts in ms ('' for none), until when the index lists the
 * session (the `i` field and the index score: '' leaves `i` as it is, '-' deletes it), how many
 * fields to set, those field/value pairs, then the fields to delete. Returns a {@link ScriptReply}.
 */
export const saveScript = new RedisScript(`${stateFunction}${indexFunction}
local key = KEYS[1]
if ARGV[1] == 'existing' then
  local found = state(key, tonumber(ARGV[3]), tonumber(ARGV[6]), tonumber(ARGV[7]))
  if found == 0 then redis.call('DEL', key) end
  if found ~= 1 then return found end
else
  redis.call('DEL', key)
end
local n = tonumber(ARGV[9])
if #ARGV > 9 + 2 * n then redis.call('HDEL', key, unpack(ARGV, 10 + 2 * n, #ARGV)) end
if n > 0 then redis.call('HSET', key, unpack(ARGV, 10, 9 + 2 * n)) end
if ARGV[8] == '-' then redis.call('HDEL', key, 'i')
elseif ARGV[8] ~= '' then redis.call('HSET', key, 'i', ARGV[8]) end
if ARGV[2] == '' then redis.call('PERSIST', key) else redis.call('PEXPIREAT', key, ARGV[2]) end
if KEYS[2] then index(KEYS[2], ARGV[4], ARGV[8], ARGV[3], ARGV[5]) end
return 1
`)

/**
 * Updates a user's index alone, for Redis Cluster (where it cannot share the save script).
 * KEYS[1] the index; ARGV: the session id, until when the index lists it (ms since the epoch,
 * `inf` for ever), now, an id to drop ('' for none).
 */
export const indexScript = new RedisScript(`${indexFunction}
index(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 1
`)

/**
 * Retires a session id replaced by `regenerateId(true)`: its hash becomes a marker holding only
 * `r`, when the marker ends (ms since the epoch), and the key expires then; '' deletes the hash
 * instead. KEYS[1] the old session; ARGV: when the marker ends (''), now, the idle and absolute
 * timeouts in ms ('' for none). Returns a {@link ScriptReply}: `gone` when there was nothing live
 * to retire, `retired` when another request retired it first (both change nothing).
 */
export const retireScript = new RedisScript(`${stateFunction}
local found = state(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
if found ~= 1 then return found end
redis.call('DEL', KEYS[1])
if ARGV[1] ~= '' then
  redis.call('HSET', KEYS[1], 'r', ARGV[1])
  redis.call('PEXPIREAT', KEYS[1], ARGV[1])
end
return 1
`)

/**
 * Deletes a session (logout), unless its id was retired and the marker still lives. KEYS[1] the
 * session; KEYS[2], when given, its user's index, which forgets it. ARGV: the id, now. Returns how
 * many keys it deleted (0 or 1), or `ScriptReply.retired` (2) for a live marker, left in place.
 */
export const forgetScript = new RedisScript(`
local ends = tonumber(redis.call('HGET', KEYS[1], 'r'))
if ends and ends > tonumber(ARGV[2]) then return 2 end
if KEYS[2] then redis.call('ZREM', KEYS[2], ARGV[1]) end
return redis.call('DEL', KEYS[1])
`)

/** Removes ids from a user's index. KEYS[1] the index; ARGV the ids. Returns how many it held. */
export const unindexScript = new RedisScript(`
return redis.call('ZREM', KEYS[1], unpack(ARGV))
`)

/** Deletes a key (a corrupt or expired record). KEYS[1] the key. */
export const dropScript = new RedisScript(`
return redis.call('DEL', KEYS[1])
`)

/** Every session id in a user's index. KEYS[1] the index. */
export const membersScript = new RedisScript(`
return redis.call('ZRANGE', KEYS[1], 0, -1)
`)

async function sha1Hex(text: string): Promise<string> {
  let digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
