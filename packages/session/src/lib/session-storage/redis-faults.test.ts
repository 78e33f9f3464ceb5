import { createRequire } from 'node:module'
import { eventually, RedisServer, withServer } from '@x/test-kit'
import { Cluster, Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, describe, expect, it } from 'vitest'
import { outageAndRecovery, savedSession } from '../../test/storage-outage.ts'
import { adaptClient } from '../redis/adapt-client.ts'
import { RedisTimeoutError } from '../redis/command-timeout.ts'
import type { RedisSessionClient } from '../redis/redis-client.ts'
import type { Session } from '../session.ts'
import { createRedisSessionStorage, type RedisSessionStorage } from './redis.ts'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
// Every run writes under its own prefix, so tests never touch other data in that Redis.
const prefix = `x-session-faults:${process.pid}:${Date.now()}:`

afterAll(async () => {
  let redis = new Redis(url)
  let keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
})

/** A session saved with `user: 'ada'`, and its id. */

describe('createRedisSessionStorage({ url }) on a new connection', () => {
  it('serves 50 concurrent first requests on the one connection attempt', async () => {
    await withServer(RedisServer, async (server) => {
      let setup = createRedisSessionStorage({ url: server.url })
      let id = await savedSession(setup)
      await setup.close()
      let admin = new Redis(server.url)
      let before = await connectionsReceived(admin)
      let storage = createRedisSessionStorage({ url: server.url })
      let saved = await Promise.all(
        Array.from({ length: 50 }, async (_, index) => {
          let session = await storage.read(id)
          session.set(`key${index}`, index)
          return storage.save(session)
        }),
      )
      // Saved between renewals: the cookie (the id) is not sent again.
      expect(saved).toEqual(Array(50).fill(null))
      expect((await storage.read(id)).size).toBe(51)
      // One connection for the 50 requests (the admin's own INFO comes after it).
      expect(await connectionsReceived(admin)).toBe(before + 1)
      await storage.close()
      await admin.quit()
    })
  })

  it('fails at once while Redis is unreachable from the start, then connects in the background', async () => {
    await withServer(RedisServer, async (server) => {
      await server.stop()
      let storage = createRedisSessionStorage({ url: server.url, commandTimeout: 60_000 })
      // Within the test's timeout, far below commandTimeout: the failed attempt ends the wait, and
      // its error is the cause.
      let failure = await storage.read('E'.repeat(32)).catch((error: unknown) => error)
      expect(failure).toMatchObject({
        message: 'Redis is unreachable',
        cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
      })
      await server.restart()
      let id = await eventually(() => savedSession(storage))
      expect((await storage.read(id)).get('user')).toBe('ada')
      await storage.close()
    })
  })
})

describe('createRedisSessionStorage({ url }) with several urls in one process', () => {
  it('connects each storage to its own url, whatever url an earlier one was given', async () => {
    await withServer(RedisServer, async (server) => {
      let { port } = new URL(server.url)
      // A plain server never completes a TLS handshake: this storage never connects.
      let tls = createRedisSessionStorage({
        url: `rediss://127.0.0.1:${port}`,
        commandTimeout: 200,
      })
      let plain = createRedisSessionStorage({ url: `redis://127.0.0.1:${port}` })
      try {
        await expect(tls.read('E'.repeat(32))).rejects.toThrow(RedisTimeoutError)
        let id = await savedSession(plain)
        expect((await plain.read(id)).get('user')).toBe('ada')
      } finally {
        await tls.close()
        await plain.close()
      }
    })
  })
})

describe('createRedisSessionStorage({ url }).close()', () => {
  it('ends a request waiting for the first connection attempt at once', async () => {
    await withServer(RedisServer, async (server) => {
      // A frozen Redis accepts the connection but never answers: the attempt stays under way.
      server.pause()
      try {
        let storage = createRedisSessionStorage({
          url: server.url,
          commandTimeout: Number.POSITIVE_INFINITY,
        })
        let waiting = storage.read('E'.repeat(32))
        await storage.close()
        await expect(waiting).rejects.toThrow('The Redis session storage was closed')
      } finally {
        server.resume()
      }
    })
  })

  it('ends the connection to a stalled Redis after commandTimeout, not at its end', async () => {
    await withServer(RedisServer, async (server) => {
      let storage = createRedisSessionStorage({ url: server.url, commandTimeout: 200 })
      let id = await savedSession(storage)
      server.pause()
      try {
        await expect(storage.read(id)).rejects.toThrow(RedisTimeoutError)
        // Resolves while Redis is still frozen (a graceful close would wait for the read's reply).
        await storage.close()
        await expect(storage.read(id)).rejects.toThrow('The Redis session storage was closed')
      } finally {
        server.resume()
      }
    })
  })
})

/** How many connections the Redis behind `admin` has accepted since it started. */
async function connectionsReceived(admin: Redis): Promise<number> {
  let stats = await admin.info('stats')
  return Number(/^total_connections_received:(\d+)/m.exec(stats)?.[1])
}

describe('createRedisSessionStorage({ client }) on a connection still opening', () => {
  it('serves 20 concurrent first reads on the ioredis client the README recommends', async () => {
    let setup = createRedisSessionStorage({ url, keyPrefix: prefix })
    let id = await savedSession(setup)
    await setup.close()
    // Without lazyConnect: the client starts connecting at once; its status is 'connecting'.
    let client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    let storage = createRedisSessionStorage({ client, keyPrefix: prefix })
    let sessions = await Promise.all(Array.from({ length: 20 }, () => storage.read(id)))
    expect(sessions.map((session) => session.get('user'))).toEqual(Array(20).fill('ada'))
    await client.quit()
  })
})

describe('createRedisSessionStorage when Redis goes away', () => {
  it('fails while Redis is down, then works again without a restart, sessions intact', async () => {
    await withServer(RedisServer, async (server) => {
      let storage = createRedisSessionStorage({ url: server.url })
      let id = await savedSession(storage)
      let session = await outageAndRecovery(storage, server, id)
      expect(session.get('user')).toBe('ada')
      await storage.close()
    })
  }, 30_000)
})

/** Reads `id`, retrying while the storage still times out (at most 50 tries). */
async function readOnceRecovered(storage: RedisSessionStorage, id: string): Promise<Session> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storage.read(id)
    } catch (error) {
      if (!(error instanceof RedisTimeoutError) || attempt === 50) throw error
    }
  }
}

describe('createRedisSessionStorage when Redis stalls', () => {
  it.each(['its own node-redis connection', 'an ioredis client'])(
    'rejects reads and saves after commandTimeout with %s, then recovers',
    async (kind) => {
      await withServer(RedisServer, async (server) => {
        let ioredis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
        ioredis.on('error', () => {})
        let storage =
          kind === 'an ioredis client'
            ? createRedisSessionStorage(ioredis, { commandTimeout: 200 })
            : createRedisSessionStorage({ url: server.url, commandTimeout: 200 })
        let id = await savedSession(storage)
        server.pause()
        try {
          await expect(storage.read(id)).rejects.toThrow(RedisTimeoutError)
          let pending = await storage.read(null)
          pending.set('x', 1)
          await expect(storage.save(pending)).rejects.toThrow(RedisTimeoutError)
        } finally {
          server.resume()
        }
        // The resumed server first works through what queued up meanwhile: on a busy machine that
        // can outlast one 200 ms timeout, so recovery is "a read succeeds again", not the next one.
        let session = await readOnceRecovered(storage, id)
        expect(session.get('user')).toBe('ada')
        session.set('cart', ['mug'])
        expect(await storage.save(session)).toBeNull()
        expect((await storage.read(id)).get('cart')).toEqual(['mug'])
        await storage.close()
        ioredis.disconnect()
      })
    },
    30_000,
  )
})

describe('createRedisSessionStorage round trips', () => {
  it('reads and saves a session, with or without a user, in one round trip each', async () => {
    await withServer(RedisServer, async (server) => {
      let redis = new Redis(server.url)
      // The storage's contract over a real ioredis connection, counting what it waits for.
      let adapter = adaptClient(redis)
      let waits: string[] = []
      let counting: RedisSessionClient = {
        hgetall(key) {
          waits.push('hgetall')
          return adapter.hgetall(key)
        },
        evalScript(...args) {
          waits.push('script')
          return adapter.evalScript(...args)
        },
      }
      let storage = createRedisSessionStorage(counting, { userKey: 'user' })
      let anonymous = await storage.read(null)
      anonymous.set('cart', ['mug'])
      let anonymousId = (await storage.save(anonymous)) as string
      let id = await savedSession(storage)
      for (let sessionId of [anonymousId, id]) {
        waits = []
        await redis.config('RESETSTAT')
        let session = await storage.read(sessionId)
        session.set('theme', 'dark')
        expect(await storage.save(session)).toBeNull()
        expect(waits).toEqual(['hgetall', 'script'])
        let stats = await redis.info('commandstats')
        expect(stats).toMatch(/^cmdstat_evalsha:calls=1,/m)
        expect(stats).not.toMatch(/^cmdstat_eval:/m)
      }
      expect(await redis.zrange('session:user:ada', '0', '-1')).toEqual([id])
      await redis.quit()
    })
  })
})

describe('createRedisSessionStorage({ url }).close()', () => {
  it('lets the saves under way finish when commandTimeout is past a timer’s longest delay', async () => {
    let storage = createRedisSessionStorage({
      url,
      keyPrefix: prefix,
      commandTimeout: 3_000_000_000,
    })
    let id = await savedSession(storage)
    let sessions = await Promise.all(Array.from({ length: 50 }, () => storage.read(id)))
    let saves = sessions.map((session, index) => {
      session.set(`key${index}`, index)
      return storage.save(session).then(
        () => 'saved',
        (error: unknown) => String(error),
      )
    })
    await storage.close()
    expect(await Promise.all(saves)).toEqual(Array(50).fill('saved'))
  })
})

/**
 * A storage on the Redis at `url` through each kind of client (with `commandTimeout`, when given),
 * and how to end that client.
 */
const clientKinds: [
  string,
  (url: string, commandTimeout?: number) => Promise<[RedisSessionStorage, () => Promise<unknown>]>,
][] = [
  [
    'its own node-redis connection',
    async (url, commandTimeout) => {
      let storage = createRedisSessionStorage({ url, commandTimeout })
      return [storage, () => storage.close()]
    },
  ],
  [
    'an ioredis client',
    async (url, commandTimeout) => {
      let client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
      return [createRedisSessionStorage(client, { commandTimeout }), () => client.quit()]
    },
  ],
  [
    'a node-redis client',
    async (url, commandTimeout) => {
      let client = createClient({ url })
      await client.connect()
      return [createRedisSessionStorage(client, { commandTimeout }), () => client.close()]
    },
  ],
]

describe('createRedisSessionStorage when Redis forgot its scripts (a restart, a failover)', () => {
  it.each(clientKinds)('saves with %s all the same, sending the script itself', async (_, open) => {
    await withServer(RedisServer, async (server) => {
      let admin = new Redis(server.url)
      let [storage, end] = await open(server.url)
      try {
        let id = await savedSession(storage)
        await admin.script('FLUSH')
        let evals = await callsOf(admin, 'eval')
        let session = await storage.read(id)
        session.set('cart', ['mug'])
        expect(await storage.save(session)).toBeNull()
        let saved = await storage.read(id)
        expect([saved.get('user'), saved.get('cart')]).toEqual(['ada', ['mug']])
        expect(await callsOf(admin, 'eval')).toBe(evals + 1)
        // EVAL put the script back in the cache: the next save runs it by its SHA1 again.
        saved.set('cart', [])
        expect(await storage.save(saved)).toBeNull()
        expect(await callsOf(admin, 'eval')).toBe(evals + 1)
      } finally {
        await end()
        await admin.quit()
      }
    })
  })
})

describe('createRedisSessionStorage({ client }) with a client that bends its contract', () => {
  it.each([2000, Number.POSITIVE_INFINITY])(
    'reads a key that is not a hash as no session when hgetall throws WRONGTYPE at once (commandTimeout %s)',
    async (commandTimeout) => {
      let redis = new Redis(url)
      let adapter = adaptClient(redis)
      let key = `${prefix}${'W'.repeat(32)}`
      await redis.set(key, 'not a hash')
      let throwing: RedisSessionClient = {
        hgetall(key) {
          // A client that throws where it should reject.
          if (key.endsWith('W'.repeat(32))) throw new Error('WRONGTYPE Operation against a key')
          return adapter.hgetall(key)
        },
        evalScript: (...args) => adapter.evalScript(...args),
      }
      let storage = createRedisSessionStorage(throwing, { keyPrefix: prefix, commandTimeout })
      let session = await storage.read('W'.repeat(32))
      expect(session.id).not.toBe('W'.repeat(32))
      // The key is freed, as for a WRONGTYPE rejection.
      expect(await redis.exists(key)).toBe(0)
      await redis.quit()
    },
  )

  it('refuses a node-redis-like client that maps types and cannot give one that does not', () => {
    let client = {
      _commandOptions: { typeMapping: { 58: String } },
      connect: async () => {},
      hGetAll: async () => ({}),
      evalSha: async () => 1,
      eval: async () => 1,
    }
    expect(() => createRedisSessionStorage(client, { keyPrefix: prefix })).toThrow(
      /maps Redis types \(typeMapping\)/,
    )
    let withBadOverride = { ...client, withTypeMapping: () => ({}) as typeof client }
    expect(() => createRedisSessionStorage(withBadOverride, { keyPrefix: prefix })).toThrow(
      /maps Redis types \(typeMapping\)/,
    )
  })

  it("refuses node-redis's legacy mode (callbacks), naming the client itself as the way out", async () => {
    let client = createClient({ url })
    client.on('error', () => {})
    await client.connect()
    try {
      // Its types are refused too; JavaScript callers get this error at startup instead of a
      // TypeError on the first request.
      let legacy = client.legacy() as never
      expect(() => createRedisSessionStorage(legacy, { keyPrefix: prefix })).toThrow(
        /legacy mode \(client\.legacy\(\): callbacks, no promises\): give the client itself/,
      )
      // The client itself is taken, and works.
      let storage = createRedisSessionStorage(client, { keyPrefix: prefix })
      let session = await storage.read(null)
      session.set('user', 'ada')
      let id = (await storage.save(session)) as string
      expect((await storage.read(id)).get('user')).toBe('ada')
    } finally {
      await client.close()
    }
  })

  it('fails a save whose reply it cannot read, rather than reading it as a session gone', async () => {
    let redis = new Redis(url)
    let adapter = adaptClient(redis)
    let mapping: RedisSessionClient = {
      hgetall: (key) => adapter.hgetall(key),
      // A client that maps Redis's integers to strings.
      evalScript: async (...args) => {
        let reply = await adapter.evalScript(...args)
        return typeof reply === 'number' ? String(reply) : reply
      },
    }
    let storage = createRedisSessionStorage(mapping, { keyPrefix: prefix })
    let session = await storage.read(null)
    session.set('user', 'ada')
    // A new session's reply is read as 'gone' (a cleared cookie: a silent sign-out) unless refused.
    await expect(storage.save(session)).rejects.toThrow(
      'The Redis save script answered 1, not one of its replies',
    )
    await redis.quit()
  })
})

describe('createRedisSessionStorage(ioredis client made with stringNumbers: true)', () => {
  it('refuses it at creation, for a Redis and a Cluster, before any command is sent', () => {
    let redis = new Redis(url, { stringNumbers: true, lazyConnect: true })
    // From a url's query the option is a string, and ioredis takes 'false' as on too.
    let fromUrl = new Redis(`${url}?stringNumbers=false`, { lazyConnect: true })
    let cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], {
      lazyConnect: true,
      redisOptions: { stringNumbers: true },
    })
    // A startup node's own options, a url's query too, win over redisOptions for its connection.
    let nodeUrl = new Cluster(['127.0.0.1:1', 'redis://127.0.0.1:2?stringNumbers=true'], {
      lazyConnect: true,
    })
    // ioredis's types leave a node's other options out; JavaScript passes them all the same.
    let node = { host: '127.0.0.1', port: 1, stringNumbers: true }
    let nodeOptions = new Cluster([node], { lazyConnect: true })
    for (let client of [redis, fromUrl, cluster, nodeUrl, nodeOptions]) {
      expect(() => createRedisSessionStorage(client, { keyPrefix: prefix })).toThrow(
        /reads integers as strings \(stringNumbers, in /,
      )
      expect(client.status).toBe('wait')
    }
    // The way out the error names is taken.
    let duplicate = redis.duplicate({ stringNumbers: false, lazyConnect: true })
    expect(() => createRedisSessionStorage(duplicate, { keyPrefix: prefix })).not.toThrow()
    let plainNodes = new Cluster(['127.0.0.1:1', 'redis://127.0.0.1:2?db=0', 3], {
      lazyConnect: true,
    })
    expect(() => createRedisSessionStorage(plainNodes, { keyPrefix: prefix })).not.toThrow()
    for (let client of [redis, fromUrl, cluster, nodeUrl, nodeOptions, duplicate, plainNodes]) {
      client.disconnect()
    }
  })
})

describe('createRedisSessionStorage(ioredis Cluster with stringNumbers in a node)', () => {
  // ioredis's own reading of a startup node: its options for that node's connection.
  const ioredisRequire = createRequire(import.meta.resolve('ioredis'))
  const { normalizeNodeOptions } = ioredisRequire('./cluster/util.js') as {
    normalizeNodeOptions: (nodes: unknown[]) => { stringNumbers?: unknown }[]
  }
  const nodes: unknown[] = [
    '127.0.0.1:7000?stringNumbers=1',
    '127.0.0.1:7000?stringNumbers=0',
    'REDIS://127.0.0.1:7000?stringNumbers=false',
    'rediss://127.0.0.1:7000?stringNumbers=1',
    '//127.0.0.1:7000?stringNumbers=1',
    '/tmp/a#b.sock?stringNumbers=1',
    '/tmp/s?db=1#&stringNumbers=1',
    '127.0.0.1:7000?stringNumbers=',
    '127.0.0.1:7000?stringNumbers',
    '127.0.0.1:7000?stringNumbers=&stringNumbers=1',
    '127.0.0.1:7000?stringNumbers=1&stringNumbers=',
    '127.0.0.1:7000?string%4Eumbers=1',
    '127.0.0.1:7000?StringNumbers=1',
    '10.0.0.5:7000?connectionName=app://svc&stringNumbers=1',
    '[::1]:7000?stringNumbers=1',
    '127.0.0.1:7000',
    7000,
    { host: '127.0.0.1', port: 7000, stringNumbers: '' },
    { host: '127.0.0.1', port: 7000, stringNumbers: 1 },
    Object.create({ stringNumbers: true }),
  ]

  it.each(nodes.map((node) => [JSON.stringify(node) ?? String(node), node]))(
    'refuses startup node %s exactly when ioredis turns stringNumbers on for it',
    (_, node) => {
      let on = Boolean(normalizeNodeOptions([node])[0]?.stringNumbers)
      let cluster = new Cluster(['127.0.0.1:1', node as string], { lazyConnect: true })
      try {
        let create = () => createRedisSessionStorage(cluster, { keyPrefix: prefix })
        if (on) expect(create).toThrow(/\(stringNumbers, in startup node 1\); give a Cluster/)
        else expect(create).not.toThrow()
      } finally {
        cluster.disconnect()
      }
    },
  )

  it('names every place it is set: redisOptions and an object natMap too', () => {
    let mapped = { host: '127.0.0.1', port: 7001, stringNumbers: true }
    let cluster = new Cluster(['127.0.0.1:1'], {
      lazyConnect: true,
      redisOptions: { stringNumbers: true },
      natMap: { '10.0.0.1:7001': mapped },
    })
    try {
      expect(() => createRedisSessionStorage(cluster, { keyPrefix: prefix })).toThrow(
        'reads integers as strings (stringNumbers, in redisOptions, natMap["10.0.0.1:7001"]); give a Cluster with stringNumbers in none of them',
      )
    } finally {
      cluster.disconnect()
    }
  })
})

describe('createRedisSessionStorage when Redis answers a save after it timed out', () => {
  it.each(clientKinds)(
    'rejects it once, with %s, and nothing that comes later is left unhandled',
    async (kind, open) => {
      await withServer(RedisServer, async (server) => {
        let admin = new Redis(server.url)
        let [storage, end] = await open(server.url, 200)
        let unhandled: unknown[] = []
        let onUnhandled = (reason: unknown) => unhandled.push(reason)
        process.on('unhandledRejection', onUnhandled)
        try {
          let id = await savedSession(storage)
          let session = await storage.read(id)
          session.set('cart', ['mug'])
          // The save's EVALSHA will meet NOSCRIPT, and an EVAL sent then would fail (no memory).
          await admin.script('FLUSH')
          await admin.config('SET', 'maxmemory-policy', 'noeviction')
          await admin.config('SET', 'maxmemory', '1')
          let evals = await callsOf(admin, 'eval')
          server.pause()
          try {
            await expect(storage.save(session)).rejects.toThrow(RedisTimeoutError)
          } finally {
            server.resume()
          }
          // Redis answers in order: once two reads sent after the resume are answered, so is the
          // late NOSCRIPT, and any EVAL sent for it; then a turn for unhandled rejections.
          await storage.read(id)
          await storage.read(id)
          await new Promise((resolve) => setImmediate(resolve))
          expect(unhandled).toEqual([])
          // The own connection sends nothing more for a save its caller saw time out.
          if (kind === 'its own node-redis connection') {
            expect(await callsOf(admin, 'eval')).toBe(evals)
          }
          await admin.config('SET', 'maxmemory', '0')
          let again = await storage.read(id)
          again.set('cart', ['cup'])
          expect(await storage.save(again)).toBeNull()
          expect((await storage.read(id)).get('cart')).toEqual(['cup'])
        } finally {
          process.off('unhandledRejection', onUnhandled)
          await end()
          await admin.quit()
        }
      })
    },
  )
})

/** How many times the Redis behind `admin` has run `command` since it started. */
async function callsOf(admin: Redis, command: string): Promise<number> {
  let stats = await admin.info('commandstats')
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0)
}
