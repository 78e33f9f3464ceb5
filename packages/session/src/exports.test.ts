import { describe, expect, it } from 'vitest'
import * as cookie from './cookie.ts'
import * as cookieStorage from './cookie-storage.ts'
import * as denoKvStorage from './deno-kv-storage.ts'
import * as fsStorage from './fs-storage.ts'
import * as main from './index.ts'
import * as memoryStorage from './memory-storage.ts'
import * as postgresStorage from './postgres-storage.ts'
import * as redisStorage from './redis-storage.ts'
import * as unstorageStorage from './unstorage-storage.ts'

// The public surface changes only on purpose: update these lists together with the README.
describe('package exports', () => {
  it.each([
    ['@x/session', main],
    ['@x/session/cookie', cookie],
    ['@x/session/cookie-storage', cookieStorage],
    ['@x/session/memory-storage', memoryStorage],
    ['@x/session/fs-storage', fsStorage],
    ['@x/session/redis-storage', redisStorage],
    ['@x/session/postgres-storage', postgresStorage],
    ['@x/session/unstorage-storage', unstorageStorage],
    ['@x/session/deno-kv-storage', denoKvStorage],
  ])('%s', (_, entry) => {
    expect(Object.keys(entry).sort()).toMatchSnapshot()
  })
})
