/**
 * The Lua scripts of the Redis session storage. Each runs atomically in one round trip. A session
 * is a hash; a retired id is a hash holding only the field `r`; a user's index is a sorted set of
 * session ids scored by when each session expires (ms since the epoch, `inf` for never).
 */

/** A script and its SHA-1, computed once, for `EVALSHA`. */
export class RedisScript {
  readonly source: string
  #sha1: Promise<string> | undefined
  #knownSha1: string | undefined

  constructor(source: string) {
    this.source = source
  }

  /** The script's SHA-1 in hex, as Redis names cached scripts. */
  sha1(): Promise<string> {
    this.#sha1 ??= sha1Hex(this.source).then((hex) => {
      this.#knownSha1 = hex
      return hex
    })
    return this.#sha1
  }

  /** The SHA-1 once {@link RedisScript.sha1} has computed it (Web Crypto digests asynchronously). */
  get knownSha1(): string | undefined {
    return this.#knownSha1
  }
}

/** What a save, retire or forget script found, as the integer it returns. */
export const ScriptReply = { gone: 0, written: 1, retired: 2 } as const

/**
 * The most ids one script call takes or returns, and the most arguments a script passes to one
 * `HSET` or `HDEL` (Lua's `unpack` fails past about 8,000). Even: field/value pairs stay whole.
 */
export const scriptChunk = 1000

// state(key, now, idle, absolute): 0 when the key is gone (no key, anything but a hash, or a
// session or marker expired at `now` by the app's clock, which may run ahead of Redis's), 1 for a
// live session, 2 for a live retired marker; for a live session, also whether it holds the field
// `i`. `idle` and `absolute` are the timeouts in ms, nil for none. One HMGET under pcall, not TYPE
// then HMGET: any key but a hash fails it with WRONGTYPE; any other error (an ACL's NOPERM) fails
// the script.
const stateFunction = `
local function state(key, now, idle, absolute)
  local f = redis.pcall('HMGET', key, 'r', 't', 'c', 'i')
  if f.err then
    if string.sub(f.err, 1, 9) == 'WRONGTYPE' then return 0 end
    error(f)
  end
  if f[1] then
    if (tonumber(f[1]) or 0) > now then return 2 end
    return 0
  end
  local t, c = tonumber(f[2]), tonumber(f[3])
  if not t or not c then return 0 end
  if idle and t + idle <= now then return 0 end
  if absolute and c + absolute <= now then return 0 end
  return 1, f[4] ~= false
end
`

// expireIn(key, at, now): lets `key` expire at `at` (ms since the epoch, by the app's clock) with a
// relative PEXPIRE of `at - now` (at least 1 ms), never PEXPIREAT: an app clock behind or ahead of
// Redis's must not end keys at once, nor keep them past their time.
const expireFunction = `
local function expireIn(key, at, now)
  local ms = math.floor(tonumber(at) - tonumber(now))
  if ms < 1 then ms = 1 end
  redis.call('PEXPIRE', key, string.format('%.0f', ms))
end
`

// inSlices(command, key, from, to): runs `command` on `key` with ARGV[from..to] (nothing when from
// is past to), at most scriptChunk arguments per call: a session may hold more values than
// `unpack` takes.
const inSlicesFunction = `
local function inSlices(command, key, from, to)
  for i = from, to, ${scriptChunk} do
    redis.call(command, key, unpack(ARGV, i, math.min(i + ${scriptChunk - 1}, to)))
  end
end
`

// isSessionId(member): whether `member` has the form of a session id (see session-id.ts): only
// such members are ever taken for sessions, so no key outside the sessions is deleted for them.
const sessionIdFunction = `
local function isSessionId(member)
  return #member == 32 and string.find(member, '^[A-Za-z0-9_%-]+$') ~= nil
end
`

// userIndex(key, now): makes `key` a sorted set, or nothing, before anything else touches it. The
// first release kept each user's index as a plain set expiring after the absolute lifetime: its
// members are carried over with the set's own end as their score (or 'inf' when it had none), so
// none ends before its session can. Anything else under the key (a set holding anything but
// session ids, a hash, a string...) is not an index: the script fails, changing nothing of it.
const userIndexFunction = `${sessionIdFunction}
local function userIndex(key, now)
  local kind = redis.call('TYPE', key).ok
  if kind == 'zset' or kind == 'none' then return end
  local refused = 'ERR the key ' .. key .. ' holds a ' .. kind ..
    ', not a user index of sessions: keyPrefix must hold sessions only'
  if kind ~= 'set' then error(redis.error_reply(refused)) end
  local members = redis.call('SMEMBERS', key)
  for _, member in ipairs(members) do
    if not isSessionId(member) then error(redis.error_reply(refused)) end
  end
  local ttl = redis.call('PTTL', key)
  redis.call('DEL', key)
  local score = 'inf'
  if ttl >= 0 then score = string.format('%.0f', now + ttl) end
  for first = 1, #members, ${scriptChunk} do
    local args = {}
    for i = first, math.min(first + ${scriptChunk - 1}, #members) do
      args[#args + 1] = score
      args[#args + 1] = members[i]
    end
    redis.call('ZADD', key, unpack(args))
  end
  if ttl >= 0 then redis.call('PEXPIRE', key, math.max(ttl, 1)) end
end
`

// index(key, id, score, now, dropped, cap): forget `dropped` and every member expired at `now`,
// score `id`, let the key expire with its latest member, and, past `cap`, return how many members
// are too many followed by the candidates to evict (up to ${scriptChunk}, those that end soonest,
// never `id`): the caller checks which are live and when each was last used, deletes the least
// recently used live ones while still over the cap, then unlists them and the dead ones. An
// empty list: not over the cap. It calls `expireIn`, which the script defines first.
const indexFunction = `${userIndexFunction}
local function index(key, id, score, now, dropped, cap)
  userIndex(key, now)
  if dropped ~= '' then redis.call('ZREM', key, dropped) end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('ZADD', key, score, id)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]
  if last == 'inf' then redis.call('PERSIST', key) else expireIn(key, last, now) end
  local excess = cap and redis.call('ZCARD', key) - cap or 0
  if excess <= 0 then return {} end
  local candidates = {tostring(excess)}
  for _, member in ipairs(redis.call('ZRANGE', key, 0, ${scriptChunk})) do
    if member ~= id and #candidates <= ${scriptChunk} then candidates[#candidates + 1] = member end
  end
  return candidates
end
`

/**
 * Saves a session. KEYS[1] the session; KEYS[2] the id it was read under, when ARGV[10] names
 * what must be there; then, when given, its user's index. ARGV: mode (`new` replaces the key,
 * `existing` refuses a key deleted, expired or retired since it was read), expiry (ms since the
 * epoch, '' for none, `keep` to leave the key's as it is: a save that does not renew), now, the
 * session id, an id to drop from the index ('' for none), the idle and absolute timeouts in ms
 * ('' for none), until when the index lists the session (the `i` field and the index score: ''
 * leaves `i` as it is, '-' deletes it), the most sessions per user ('' for no cap), what the
 * original id must hold ('live', 'retired' or '' when there is none), how many fields to set,
 * those field/value pairs, then the fields to delete. Everything is checked before anything is
 * written. Keys expire by relative `PEXPIRE` (the app's clock decides when, Redis's clock only
 * counts down). Returns a {@link ScriptReply}; past the cap, `{1, candidates}` with what `index`
 * returns (a bare integer, not a table, on every other save: Redis converts it for less).
 */
export const saveScript = new RedisScript(`${stateFunction}${expireFunction}${inSlicesFunction}
local key, now = KEYS[1], tonumber(ARGV[3])
local idle, absolute = tonumber(ARGV[6]), tonumber(ARGV[7])
local origin = ARGV[10] ~= '' and KEYS[2] or nil
local userKeys = KEYS[origin and 3 or 2]
if origin then
  local found = state(origin, now, idle, absolute)
  local expected = ARGV[10] == 'live' and 1 or 2
  if found ~= expected then return found == 2 and 2 or 0 end
end
-- Whether the key holds the field i (a new record's key is deleted first: it holds nothing).
local listed = false
if ARGV[1] == 'existing' then
  local found
  found, listed = state(key, now, idle, absolute)
  if found == 0 then redis.call('DEL', key) end
  if found ~= 1 then return found end
else
  redis.call('DEL', key)
end
-- The index's functions are made only by a save that has an index to update.
local indexed
if userKeys then
${indexFunction}
  userIndex(userKeys, now)
  indexed = index
end
local n = tonumber(ARGV[11])
inSlices('HDEL', key, 12 + 2 * n, #ARGV)
inSlices('HSET', key, 12, 11 + 2 * n)
if ARGV[8] == '-' then
  if listed then redis.call('HDEL', key, 'i') end
elseif ARGV[8] ~= '' then redis.call('HSET', key, 'i', ARGV[8]) end
if ARGV[2] == '' then redis.call('PERSIST', key) elseif ARGV[2] ~= 'keep' then expireIn(key, ARGV[2], now) end
if indexed then
  local candidates = indexed(userKeys, ARGV[4], ARGV[8], ARGV[3], ARGV[5], tonumber(ARGV[9]))
  if #candidates > 0 then return {1, candidates} end
end
return 1
`)

/**
 * Updates a user's index alone, for Redis Cluster (where it cannot share the save script).
 * KEYS[1] the index; ARGV: the session id, until when the index lists it (ms since the epoch,
 * `inf` for ever), now, an id to drop ('' for none: on Cluster a login's old id is dropped by
 * {@link confirmScript} once its save is done), the most sessions per user ('' for no cap).
 * Returns what `index` returns past the cap.
 */
export const indexScript = new RedisScript(`${expireFunction}${indexFunction}
return index(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
`)

/**
 * On Redis Cluster, after a save that listed its session first: forgets the id the login replaced,
 * and says whether the index still lists the session (1) or not (0): a `destroyUserSessions` or a
 * per-user cap ran between the index update and the save, and the caller deletes the session it
 * just wrote. KEYS[1] the index; ARGV: the session id, the id to forget ('' for none), now.
 */
export const confirmScript = new RedisScript(`${userIndexFunction}
userIndex(KEYS[1], tonumber(ARGV[3]))
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
return 0
`)

/**
 * What a key holds and when it was last used, for the per-user cap: KEYS[1] the key; ARGV: now,
 * the idle and absolute timeouts in ms ('' for none). Returns `{state, t}`: the state as
 * {@link stateScript} gives it, and the session's last use (ms since the epoch, '0' unless live).
 */
export const usageScript = new RedisScript(`${stateFunction}
local found = state(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
if found ~= 1 then return {found, '0'} end
return {found, redis.call('HGET', KEYS[1], 't')}
`)

/**
 * What a key holds: KEYS[1] the key; ARGV: now, the idle and absolute timeouts in ms ('' for
 * none). Returns 0 (gone), 1 (a live session) or 2 (a live retired marker). On Redis Cluster, a
 * save under a new id checks the id it was read under with it after the save.
 */
export const stateScript = new RedisScript(`${stateFunction}
return state(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
`)

/**
 * Retires a session id replaced by `regenerateId(true)`: its hash becomes a marker holding only
 * `r`, when the marker ends (ms since the epoch), and the key expires then. KEYS[1] the old
 * session; ARGV: when the marker ends, now, the idle and absolute timeouts in ms ('' for none).
 * Returns a {@link ScriptReply}: `gone` when there was nothing live to retire, `retired` when
 * another request retired it first (both change nothing).
 */
export const retireScript = new RedisScript(`${stateFunction}${expireFunction}
local found = state(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
if found ~= 1 then return found end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'r', ARGV[1])
expireIn(KEYS[1], ARGV[1], ARGV[2])
return 1
`)

/**
 * Deletes a session (logout), unless its id was retired and the marker still lives. KEYS[1] the
 * session; KEYS[2], when given, its user's index, which forgets it. ARGV: the id, now. Returns how
 * many keys it deleted (0 or 1), or `ScriptReply.retired` (2) for a live marker, left in place.
 */
export const forgetScript = new RedisScript(`${userIndexFunction}
local now = tonumber(ARGV[2])
if redis.call('TYPE', KEYS[1]).ok == 'hash' then
  local ends = tonumber(redis.call('HGET', KEYS[1], 'r'))
  if ends and ends > now then return 2 end
end
if KEYS[2] then
  userIndex(KEYS[2], now)
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return redis.call('DEL', KEYS[1])
`)

/**
 * Deletes whatever is under a session's key, a retired marker too (`destroyUserSessions`, the
 * per-user cap). KEYS[1] the session; ARGV: now, the idle and absolute timeouts in ms ('' for
 * none). Returns 1 when it was a live session, else 0.
 */
export const purgeScript = new RedisScript(`${stateFunction}
local found = state(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
redis.call('DEL', KEYS[1])
if found == 1 then return 1 end
return 0
`)

/**
 * Removes ids from a user's index. KEYS[1] the index; ARGV: now, then the ids (at most
 * {@link scriptChunk}). Returns how many it held.
 */
export const unindexScript = new RedisScript(`${userIndexFunction}
userIndex(KEYS[1], tonumber(ARGV[1]))
return redis.call('ZREM', KEYS[1], unpack(ARGV, 2))
`)

/** Deletes a key (a corrupt or expired record). KEYS[1] the key. */
export const dropScript = new RedisScript(`
return redis.call('DEL', KEYS[1])
`)

// listedIds(key, ids): `ids`, read from the user index `key`, when every one has the form of a
// session id; else an error, deleting nothing: the key is not an index this storage wrote.
const listedIdsFunction = `${userIndexFunction}
local function listedIds(key, ids)
  for _, id in ipairs(ids) do
    if not isSessionId(id) then
      error(redis.error_reply('ERR the key ' .. key ..
        ' lists something other than session ids: keyPrefix must hold sessions only'))
    end
  end
  return ids
end
`

/**
 * The first session ids of a user's index, those that end soonest. KEYS[1] the index; ARGV: now,
 * how many (at most {@link scriptChunk}). Fails, deleting nothing, when a member is not a session
 * id: the key is not an index this storage wrote.
 */
export const membersScript = new RedisScript(`${listedIdsFunction}
userIndex(KEYS[1], tonumber(ARGV[1]))
return listedIds(KEYS[1], redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1))
`)

/**
 * Ends one session of a user: deletes it when it is live and its user field still holds what the
 * caller read, then takes it out of the index. KEYS[1] the session, KEYS[2] the user's index
 * (absent on Cluster: the caller unlists it); ARGV: now, the idle and absolute timeouts in ms (''
 * for none), the user field's name, its expected value, the session id. Returns 1 when it deleted
 * the session, else 0.
 */
export const endScript = new RedisScript(`${stateFunction}${userIndexFunction}
local now = tonumber(ARGV[1])
if state(KEYS[1], now, tonumber(ARGV[2]), tonumber(ARGV[3])) ~= 1 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[4]) ~= ARGV[5] then return 0 end
redis.call('DEL', KEYS[1])
if KEYS[2] then
  userIndex(KEYS[2], now)
  redis.call('ZREM', KEYS[2], ARGV[6])
end
return 1
`)

/**
 * The ids a user's index lists whose entries end after now (an index of the first release
 * converted first). KEYS[1] the index; ARGV: now. Fails when a member is not a session id.
 */
export const listedScript = new RedisScript(`${listedIdsFunction}
userIndex(KEYS[1], tonumber(ARGV[1]))
return listedIds(KEYS[1], redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf'))
`)

async function sha1Hex(text: string): Promise<string> {
  let digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
