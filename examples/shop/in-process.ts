import * as path from 'node:path'
import { Redis } from 'ioredis'
import { createShop } from './app.ts'
import type { Target } from './scenario.ts'
import { createSessionCookie, createStorage, type StorageKind } from './session-config.ts'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
let started = 0

/**
 * Starts the shop in this process, answered by `router.fetch`, with sessions in a new, empty
 * `storage` (file sessions in a folder of their own under `directory`; Redis sessions under a key
 * prefix of their own). `stop()` closes the storage and deletes every Redis key it wrote; the
 * caller deletes `directory`.
 */
export async function startInProcess(storage: StorageKind, directory: string): Promise<Target> {
  let run = `${process.pid}-${Date.now()}-${started++}`
  let config = {
    storage,
    secret: 'a-test-secret-that-is-32-chars-long!',
    directory: path.join(directory, run),
    redisUrl,
    redisPrefix: `x-shop-test:${run}:`,
    secure: false,
  }
  let sessions = createStorage(config)
  let shop = createShop(createSessionCookie(config), sessions)
  let stop = async () => {
    await sessions.close?.()
    if (storage === 'redis') await deleteKeys(config.redisPrefix)
  }
  return { fetch: (url, init) => shop.fetch(url, init), base: 'http://shop.test', stop }
}

/** Deletes every Redis key that starts with `prefix`. */
async function deleteKeys(prefix: string): Promise<void> {
  let redis = new Redis(redisUrl)
  try {
    let keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  } finally {
    await redis.quit()
  }
}
