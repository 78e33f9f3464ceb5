import { fileURLToPath } from 'node:url'
import { defaultRuntime, type Server, startServer } from '@x/test-kit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Visitor } from './scenario.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `x-shop-two-servers:${process.pid}:${Date.now()}:`

describe('the shop on two servers sharing one Redis', () => {
  let servers: Server[] = []
  let target = (server: Server) => ({
    fetch: (url: string, init?: RequestInit) => fetch(url, init),
    base: server.base,
  })

  beforeAll(async () => {
    let env = {
      SESSION_STORAGE: 'redis',
      REDIS_URL: redisUrl,
      SESSION_KEY_PREFIX: prefix,
      SESSION_SECRET: 'a-test-secret-that-is-32-chars-long!',
    }
    servers = await Promise.all([
      startServer(defaultRuntime, here, env),
      startServer(defaultRuntime, here, env),
    ])
  }, 60_000)

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    let redis = new Redis(redisUrl)
    let keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })

  /** One visitor's cookie, used through each server. */
  function visitorOnBoth() {
    let [a, b] = servers.map((server) => new Visitor(target(server))) as [Visitor, Visitor]
    let share = () => {
      b.cookie = a.cookie
    }
    return { a, b, share }
  }

  it('signs in on one server and is signed in on the other', async () => {
    let { a, b, share } = visitorOnBoth()
    await a.logIn()
    share()
    let page = await b.page('/')
    expect(page).toContain('Signed in as <b>ada</b>')
    expect(page).toContain('Logged in as ada')
  })

  it('loses no update when parallel requests through both servers change different keys', async () => {
    for (let round = 0; round < 20; round++) {
      let { a, b, share } = visitorOnBoth()
      await a.logIn()
      share()
      let json = (body: unknown) => ({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
      let countries = ['CA', 'FR', 'DE', 'JP']
      let country = countries[round % countries.length] as string
      let responses = await Promise.all([
        a.send('/api/locale', json({ country })),
        b.send('/api/locale', json({ language: 'fr' })),
        b.post('/cart/items', { sku: 'tee' }),
      ])
      expect(responses.map((response) => response.status)).toEqual([200, 200, 303])
      expect(await (await a.send('/api/locale')).json()).toEqual({ country, language: 'fr' })
      expect(await b.page('/cart')).toContain('Cotton T-shirt × 1')
    }
  })
})
