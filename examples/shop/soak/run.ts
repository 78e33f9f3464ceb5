// The long reliability runs behind RELIABILITY.md: `pnpm soak` from the repository root.
// SOAK_SECONDS (default 20) sets each load run, HEAP_REQUESTS (default 40,000) each round of the
// heap check, FLOOD_REQUESTS (default 1,000,000) each flood; everything stops by itself.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { RedisServer, runtimes, type Server, startServer } from '@x/test-kit'
import { Redis } from 'ioredis'
import { createShop } from '../app.ts'
import { Visitor } from '../scenario.ts'
import { createSessionCookie, createStorage, type StorageKind, schema } from '../session-config.ts'
import { load } from './load.ts'
import { processStats } from './process-stats.ts'

const here = fileURLToPath(new URL('..', import.meta.url))
const seconds = Number(process.env.SOAK_SECONDS ?? 20)
const connections = 50
const secret = 'a-soak-secret-that-is-32-characters!'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const rows: string[] = []

async function signedInCookie(base: string): Promise<string> {
  let visitor = new Visitor({ fetch: (url, init) => fetch(url, init), base })
  await visitor.logIn()
  await visitor.post('/cart/items', { sku: 'mug' })
  return visitor.cookie as string
}

async function soakStorage(storage: StorageKind): Promise<void> {
  let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-soak-'))
  let prefix = `x-soak:${Date.now()}:`
  let server: Server = await startServer(runtimes[0] as (typeof runtimes)[0], here, {
    SESSION_STORAGE: storage,
    SESSION_SECRET: secret,
    SESSION_DIR: directory,
    REDIS_URL: redisUrl,
    SESSION_KEY_PREFIX: prefix,
  })
  try {
    let cookie = await signedInCookie(server.base)
    let pid = Number(server.pid)
    // Stats are taken a second after each run, once its connections have closed.
    let settle = () => new Promise((resolve) => setTimeout(resolve, 1000))
    let warm = await load(server.base, cookie, Math.min(5, seconds), connections)
    await settle()
    let before = processStats(pid)
    let first = await load(server.base, cookie, seconds, connections)
    await settle()
    let middle = processStats(pid)
    let second = await load(server.base, cookie, seconds, connections)
    await settle()
    let after = processStats(pid)
    let total = warm.requests + first.requests + second.requests
    let failures = [warm, first, second].reduce(
      (sum, run) => sum + run.errors + run.timeouts + countFrom(run.statuses, 500),
      0,
    )
    let visitor = new Visitor({ fetch: (url, init) => fetch(url, init), base: server.base })
    visitor.cookie = cookie
    let page = await visitor.page('/cart')
    let kept = page.includes('Signed in as') && page.includes('Enamel mug')
    rows.push(
      `| load, ${storage} sessions | ${total} requests, ${connections} connections, 2 × ${seconds} s after a warm-up | 5xx + errors: ${failures}; RSS ${before.rssMiB} → ${middle.rssMiB} → ${after.rssMiB} MiB; fds ${before.fds} → ${middle.fds} → ${after.fds}; session kept: ${kept} |`,
    )
  } finally {
    await server.stop()
    fs.rmSync(directory, { recursive: true, force: true })
    if (storage === 'redis') await deleteKeys(prefix)
  }
}

async function flood(storage: StorageKind, requests: number): Promise<void> {
  let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-flood-'))
  let prefix = `x-flood:${Date.now()}:`
  let config = { storage, secret, directory, redisUrl, redisPrefix: prefix, secure: false }
  // Memory storage has no count to read: it gets room for one session, the signed-in user's, so
  // any session the flood stored would push that user out.
  let sessions =
    storage === 'memory'
      ? createMemorySessionStorage({ schema, maxSessions: 1 })
      : createStorage(config)
  let shop = createShop(createSessionCookie(config), sessions)
  let visitor = new Visitor({
    fetch: (url, init) => shop.fetch(url, init),
    base: 'http://shop.test',
  })
  await visitor.logIn()
  let sizeBefore = await storedCount(storage, directory, prefix)
  let statuses: Record<string, number> = {}
  for (let index = 0; index < requests; index++) {
    let headers = index % 2 === 0 ? {} : { cookie: `shop_session=garbage${index}` }
    let response = await shop.fetch(`http://shop.test/${index % 3 === 0 ? 'cart' : ''}`, {
      headers,
    })
    statuses[response.status] = (statuses[response.status] ?? 0) + 1
    await response.body?.cancel()
  }
  let sizeAfter = await storedCount(storage, directory, prefix)
  let stillSignedIn = (await visitor.page('/')).includes('Signed in as')
  let stored =
    storage === 'memory'
      ? 'room for 1 session, the signed-in one'
      : `stored sessions ${sizeBefore} → ${sizeAfter}`
  rows.push(
    `| flood, ${storage} sessions | ${requests} requests without a cookie or with a garbage one, in-process | ${stored}; statuses ${JSON.stringify(statuses)}; the signed-in user still signed in: ${stillSignedIn} |`,
  )
  await sessions.close?.()
  fs.rmSync(directory, { recursive: true, force: true })
  if (storage === 'redis') await deleteKeys(prefix)
}

/**
 * The leak check: the shop in this process, a signed-in visitor's page views (a quarter of them
 * the cart) in rounds, and the heap measured after a forced garbage collection at the end of each.
 * Resident memory (the load rows) moves with the allocator's slack; the heap after a collection
 * grows only if something is kept.
 */
async function heapCheck(storage: StorageKind, rounds: number, perRound: number): Promise<void> {
  let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-heap-'))
  let prefix = `x-heap:${Date.now()}:`
  let config = { storage, secret, directory, redisUrl, redisPrefix: prefix, secure: false }
  let sessions = createStorage(config)
  let shop = createShop(createSessionCookie(config), sessions)
  let visitor = new Visitor({
    fetch: (url, init) => shop.fetch(url, init),
    base: 'http://shop.test',
  })
  await visitor.logIn()
  await visitor.post('/cart/items', { sku: 'mug' })
  let headers = { cookie: visitor.cookie as string }
  let heap: number[] = []
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < perRound; index++) {
      let response = await shop.fetch(`http://shop.test/${index % 4 === 0 ? 'cart' : ''}`, {
        headers,
      })
      await response.text()
    }
    collectGarbage()
    heap.push(process.memoryUsage().heapUsed / 2 ** 20)
  }
  let first = heap[0] as number
  let last = heap.at(-1) as number
  rows.push(
    `| heap, ${storage} sessions | ${rounds} × ${perRound} signed-in page views, in-process, a forced collection after each round | heap after collection ${heap.map((mib) => mib.toFixed(1)).join(' → ')} MiB; last − first: ${(last - first).toFixed(1).replace(/^-0\.0$/, '0.0')} MiB |`,
  )
  await sessions.close?.()
  fs.rmSync(directory, { recursive: true, force: true })
  if (storage === 'redis') await deleteKeys(prefix)
}

function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run the soak with node --expose-gc')
  gc()
}

async function redisOutage(): Promise<void> {
  let redis = await RedisServer.start()
  let server = await startServer(runtimes[0] as (typeof runtimes)[0], here, {
    SESSION_STORAGE: 'redis',
    SESSION_SECRET: secret,
    REDIS_URL: redis.url,
  })
  try {
    let cookie = await signedInCookie(server.base)
    let third = Math.max(3, Math.round(seconds / 3))
    let running = load(server.base, cookie, third * 3, connections)
    await new Promise((resolve) => setTimeout(resolve, third * 1000))
    await redis.stop()
    await new Promise((resolve) => setTimeout(resolve, third * 1000))
    await redis.restart()
    let result = await running
    let page = await new Visitor({ fetch: (url, init) => fetch(url, init), base: server.base })
    page.cookie = cookie
    let html = await page.page('/cart')
    rows.push(
      `| Redis stopped and restarted under load | ${result.requests} requests, ${connections} connections, ${third * 3} s; Redis down for the middle ${third} s | statuses ${JSON.stringify(result.statuses)}; errors ${result.errors}; after: still signed in ${html.includes('Signed in as')}, cart kept ${html.includes('Enamel mug')} |`,
    )
  } finally {
    await server.stop()
    await redis.stop()
    redis.remove()
  }
}

async function storedCount(
  storage: StorageKind,
  directory: string,
  prefix: string,
): Promise<number> {
  if (storage === 'file') {
    return fs
      .readdirSync(directory, { recursive: true })
      .filter((name) => !String(name).match(/^[0-9a-f]{2}$/)).length
  }
  if (storage === 'redis') {
    let redis = new Redis(redisUrl)
    let keys = await redis.keys(`${prefix}*`)
    await redis.quit()
    return keys.length
  }
  return Number.NaN
}

async function deleteKeys(prefix: string): Promise<void> {
  let redis = new Redis(redisUrl)
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
}

function countFrom(statuses: Record<string, number>, minimum: number): number {
  return Object.entries(statuses).reduce(
    (sum, [status, count]) => sum + (Number(status) >= minimum ? count : 0),
    0,
  )
}

for (let storage of ['memory', 'file', 'cookie', 'redis'] as const) await soakStorage(storage)
for (let storage of ['memory', 'file', 'cookie', 'redis'] as const)
  await heapCheck(storage, 6, Number(process.env.HEAP_REQUESTS ?? 40_000))
for (let storage of ['memory', 'file', 'redis'] as const)
  await flood(storage, Number(process.env.FLOOD_REQUESTS ?? 1_000_000))
await redisOutage()
console.log(`| run | what it tried | what held |\n| --- | --- | --- |\n${rows.join('\n')}`)
