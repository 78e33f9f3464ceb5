import type { InferData, ServerSessionStorage, SessionStorage } from '@x/session'
import type { Cookie } from '@x/session/cookie'
import { createCookie } from '@x/session/cookie'
import { createCookieSessionStorage } from '@x/session/cookie-storage'
import { createFsSessionStorage } from '@x/session/fs-storage'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { createRedisSessionStorage } from '@x/session/redis-storage'
import { z } from 'zod'

/** What the shop keeps in a session; `get` and `set` are typed from it. */
export const schema = {
  values: {
    user: z.string(),
    cart: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
    country: z.string().length(2),
    language: z.string().min(2).max(8),
    /** The signed-in device, named at login from its User-Agent ("Firefox on Linux"). */
    device: z.string().max(120),
  },
  flash: { notice: z.string() },
}

/** The values of a shop session. */
export type ShopValues = InferData<typeof schema.values>
/** The flash values of a shop session. */
export type ShopFlash = InferData<typeof schema.flash>

/** The storages the shop can use, chosen with `SESSION_STORAGE`. */
export type StorageKind = 'memory' | 'file' | 'cookie' | 'redis'

/** Settings read from the environment (see the README). */
export interface ShopConfig {
  storage: StorageKind
  secret: string
  directory: string
  redisUrl: string
  redisPrefix: string
  secure: boolean
}

/**
 * The shop's settings from `env` (`process.env`, `Deno.env.toObject()`), with the defaults the
 * README lists. Without `SESSION_SECRET` it warns and uses a random secret.
 *
 * @throws {Error} when `SESSION_STORAGE` names no storage the shop has.
 */
export function configFromEnv(env: Record<string, string | undefined>): ShopConfig {
  let storage = (env.SESSION_STORAGE ?? 'memory') as StorageKind
  if (!['memory', 'file', 'cookie', 'redis'].includes(storage)) {
    throw new Error(`SESSION_STORAGE must be memory, file, cookie or redis, got ${storage}`)
  }
  let secret = env.SESSION_SECRET
  if (secret === undefined) {
    console.warn(
      'SESSION_SECRET is not set: using a random secret, so sessions end when the server stops',
    )
    secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
  }
  return {
    storage,
    secret,
    directory: env.SESSION_DIR ?? '.sessions',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.SESSION_KEY_PREFIX ?? 'shop:session:',
    secure: env.NODE_ENV === 'production',
  }
}

/** The signed session cookie, `shop_session`, kept 7 days; encrypted with cookie storage. */
export function createSessionCookie(config: ShopConfig): Cookie {
  return createCookie('shop_session', {
    secrets: [config.secret],
    secure: config.secure,
    // Cookie storage keeps the cart in the cookie: encrypt it so the client cannot read it.
    encrypted: config.storage === 'cookie',
    maxAge: 60 * 60 * 24 * 7,
  })
}

/** What a server-side storage adds: a user's own sessions, listed and ended. */
type UserSessionMethods = Pick<
  ServerSessionStorage<typeof schema>,
  'listUserSessions' | 'destroySessionByHandle' | 'destroyUserSessions'
>

/**
 * A storage the shop runs on. Server-side storages (memory, file, Redis) have the methods of a
 * user's own sessions (`listUserSessions`, `destroySessionByHandle`, `destroyUserSessions`);
 * cookie storage keeps nothing on the server, so it has none of them. `close()` ends the storage's
 * connection, if it has one.
 */
export type ShopStorage = SessionStorage<ShopValues, ShopFlash> &
  Partial<UserSessionMethods> & { close?: () => Promise<void> }

/** The session storage `config` names. */
export function createStorage(config: ShopConfig): ShopStorage {
  let options = { schema, idleTimeout: 60 * 60 * 24 * 7, absoluteTimeout: 60 * 60 * 24 * 30 }
  if (config.storage === 'cookie') return createCookieSessionStorage(options)
  // The `user` value names whose session it is: the storage indexes each user's sessions.
  let serverOptions = { ...options, userKey: 'user' }
  if (config.storage === 'file') return createFsSessionStorage(config.directory, serverOptions)
  if (config.storage === 'redis') {
    return createRedisSessionStorage({
      ...serverOptions,
      url: config.redisUrl,
      keyPrefix: config.redisPrefix,
    })
  }
  return createMemorySessionStorage(serverOptions)
}
