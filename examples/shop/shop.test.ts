import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll } from 'vitest'
import { createShop } from './app.ts'
import { describeShopScenario, type Target } from './scenario.ts'
import { createSessionCookie, createStorage, type StorageKind } from './session-config.ts'

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-shop-'))
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }))

/** The shop answered in-process by `router.fetch`, with sessions in the given storage. */
function inProcess(storage: StorageKind): () => Promise<Target> {
  return async () => {
    let config = {
      storage,
      secret: 'a-test-secret-that-is-32-chars-long!',
      directory,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      redisPrefix: `x-shop-test:${process.pid}:${Date.now()}:`,
      secure: false,
    }
    let sessions = createStorage(config)
    let shop = createShop(createSessionCookie(config), sessions)
    let stop = async () => {
      await sessions.close?.()
    }
    return { fetch: (url, init) => shop.fetch(url, init), base: 'http://shop.test', stop }
  }
}

describeShopScenario('the shop in-process, memory sessions', inProcess('memory'), true)
describeShopScenario('the shop in-process, file sessions', inProcess('file'), true)
describeShopScenario('the shop in-process, encrypted cookie sessions', inProcess('cookie'), false)
describeShopScenario('the shop in-process, Redis sessions', inProcess('redis'), true)
