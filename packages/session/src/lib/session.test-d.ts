import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { RedisClient } from './redis/adapt-client.ts'
import {
  createSessionStorage,
  type ServerSessionStorage,
  type TypedSessionStorage,
} from './server-storage.ts'
import type { Session } from './session.ts'
import type { SessionDataStore } from './session-data-store.ts'
import type { InferData, KeySchemas, SessionSchema } from './session-schema.ts'
import { createCookieSessionStorage } from './session-storage/cookie.ts'
import { createFsSessionStorage } from './session-storage/fs.ts'
import {
  createMemorySessionStorage,
  type MemorySessionStorageOptions,
} from './session-storage/memory.ts'
import { createRedisSessionStorage } from './session-storage/redis.ts'

const schema = {
  values: { userId: z.string(), cart: z.array(z.number()) },
  flash: { notice: z.string() },
}

/** Schemas whose input and output differ, and ones that admit `undefined` or `null`. */
const shapes = {
  values: {
    count: z.string().transform(Number),
    theme: z.enum(['light', 'dark']).default('light'),
    nickname: z.string().optional(),
    referrer: z.string().nullable(),
  },
  flash: { attempts: z.string().transform(Number) },
}

type Values = InferData<typeof schema.values>
type Flash = InferData<typeof schema.flash>
/** What `get` gives for keys no schema names. */
type AnyData = InferData<KeySchemas>

declare const store: SessionDataStore
declare const client: RedisClient

describe('session types', () => {
  it('types get, set and flash from the storage schema', async () => {
    let session = await createMemorySessionStorage({ schema }).read(null)
    expectTypeOf(session).toEqualTypeOf<
      Session<InferData<typeof schema.values>, InferData<typeof schema.flash>>
    >()
    expectTypeOf(session.get('userId')).toEqualTypeOf<string | undefined>()
    expectTypeOf(session.get('notice')).toEqualTypeOf<string | undefined>()
    session.set('cart', [1, 2])
    // @ts-expect-error: userId is a string
    session.set('userId', 42)
    // @ts-expect-error: no such key in the schema
    session.set('role', 'admin')
    // @ts-expect-error: notice is a string
    session.flash('notice', 1)
  })

  it('types set with a transform schema’s input and get with its output', async () => {
    let session = await createMemorySessionStorage({ schema: shapes }).read(null)
    session.set('count', '5')
    // @ts-expect-error: the schema takes a string (and stores the number it makes of it)
    session.set('count', 5)
    expectTypeOf(session.get('count')).toEqualTypeOf<number | undefined>()
    session.flash('attempts', '3')
    // @ts-expect-error: the flash schema takes a string too
    session.flash('attempts', 3)
    expectTypeOf(session.get('attempts')).toEqualTypeOf<number | undefined>()
  })

  it('types a key with a default: set may pass undefined, get gives the output', async () => {
    let session = await createMemorySessionStorage({ schema: shapes }).read(null)
    session.set('theme', 'dark')
    session.set('theme', undefined)
    // @ts-expect-error: not one of the enum's values
    session.set('theme', 'blue')
    expectTypeOf(session.get('theme')).toEqualTypeOf<'light' | 'dark' | undefined>()
  })

  it('types optional and nullable keys', async () => {
    let session = await createMemorySessionStorage({ schema: shapes }).read(null)
    session.set('nickname', undefined)
    session.set('referrer', null)
    // @ts-expect-error: a string or null
    session.set('referrer', 1)
    expectTypeOf(session.get('nickname')).toEqualTypeOf<string | undefined>()
    expectTypeOf(session.get('referrer')).toEqualTypeOf<string | null | undefined>()
  })

  it('types every storage alike', async () => {
    let fromCookie = await createCookieSessionStorage({ schema }).read(null)
    let fromFiles = await createFsSessionStorage('/tmp/x-session-types', { schema }).read(null)
    expectTypeOf(fromCookie.get('cart')).toEqualTypeOf<number[] | undefined>()
    expectTypeOf(fromFiles.get('cart')).toEqualTypeOf<number[] | undefined>()
    let transformed = await createCookieSessionStorage({ schema: shapes }).read(null)
    transformed.set('count', '7')
    // @ts-expect-error: the input is a string
    transformed.set('count', 7)
  })

  it('types data given by hand as both what set takes and what get returns', () => {
    let session = {} as Session<{ visits: number }, { notice: string }>
    session.set('visits', 1)
    // @ts-expect-error: visits is a number
    session.set('visits', '1')
    session.flash('notice', 'hi')
    expectTypeOf(session.get('visits')).toEqualTypeOf<number | undefined>()
  })

  it('leaves values unknown without a schema', async () => {
    let session = await createMemorySessionStorage().read(null)
    expectTypeOf(session.get('anything')).toEqualTypeOf<unknown>()
    session.set('anything', { nested: [1] })
  })
})

describe('storage option types', () => {
  it('refuses a misspelled option with or without a schema, in every storage', () => {
    // @ts-expect-error: idleTimeout misspelled (X1)
    createMemorySessionStorage({ schema, idleTimout: 60 })
    // @ts-expect-error: idleTimeout misspelled (X2)
    createCookieSessionStorage({ schema, idleTimout: 60 })
    // @ts-expect-error: idleTimeout misspelled (X3)
    createSessionStorage(store, { schema, idleTimout: 60 })
    // @ts-expect-error: keyPrefix misspelled, url overload (X4)
    createRedisSessionStorage({ url: 'redis://x', schema, keyPrefx: 's:' })
    // @ts-expect-error: keyPrefix misspelled, client overload (X5)
    createRedisSessionStorage(client, { schema, keyPrefx: 's:' })
    // @ts-expect-error: idleTimeout misspelled, no schema (X10)
    createMemorySessionStorage({ idleTimout: 60 })
    // @ts-expect-error: maxSessions misspelled (X11)
    createFsSessionStorage('/tmp/x-session-types', { schema, maxSesions: 5 })
  })

  it('refuses a schema with a key other than values and flash, or a value that is no schema', () => {
    // @ts-expect-error: values misspelled (X6)
    createMemorySessionStorage({ schema: { value: { userId: z.string() } } })
    // @ts-expect-error: flash misspelled next to a right values (X7)
    createMemorySessionStorage({ schema: { values: { userId: z.string() }, flsh: {} } })
    // @ts-expect-error: not a policy (X8)
    createMemorySessionStorage({ schema, invalidData: 'nope' })
    // @ts-expect-error: a string, not a schema (X9)
    createMemorySessionStorage({ schema: { values: { userId: 'string' } } })
  })

  it('types a schema with only values or only flash, and leaves the other part open', async () => {
    let valuesOnly = createMemorySessionStorage({ schema: { values: schema.values } })
    expectTypeOf(await valuesOnly.read(null)).toEqualTypeOf<Session<Values, AnyData>>() // P1
    let flashOnly = createMemorySessionStorage({ schema: { flash: schema.flash } })
    expectTypeOf(await flashOnly.read(null)).toEqualTypeOf<Session<AnyData, Flash>>() // P2
    let optionalValues: { values?: typeof schema.values } = schema
    let optional = await createMemorySessionStorage({ schema: optionalValues }).read(null)
    expectTypeOf(optional.get('cart')).toEqualTypeOf<number[] | undefined>() // P6
  })

  it('leaves values unknown for a schema typed as any SessionSchema', async () => {
    let widened: SessionSchema = schema
    let session = await createMemorySessionStorage({ schema: widened }).read(null)
    expectTypeOf(session.get('anything')).toEqualTypeOf<unknown>() // P3
  })

  it('types options built in a variable and spread into another storage’s options', async () => {
    let options = { schema, idleTimeout: 60 }
    let fromCookie = await createCookieSessionStorage(options).read(null)
    expectTypeOf(fromCookie).toEqualTypeOf<Session<Values, Flash>>() // P4
    let fromMemory = await createMemorySessionStorage({ ...options, userKey: 'user' }).read(null)
    expectTypeOf(fromMemory).toEqualTypeOf<Session<Values, Flash>>() // P5
  })

  it('types both Redis overloads, listUserSessions and close', async () => {
    let byUrl = createRedisSessionStorage({ url: 'redis://x', schema, userKey: 'userId' })
    expectTypeOf(await byUrl.read(null)).toEqualTypeOf<Session<Values, Flash>>() // RD1
    let byClient = createRedisSessionStorage(client, { schema, ttl: 60 })
    expectTypeOf(await byClient.read(null)).toEqualTypeOf<Session<Values, Flash>>() // RD2
    let bare = createRedisSessionStorage(client)
    expectTypeOf(await bare.read(null)).toEqualTypeOf<Session<AnyData, AnyData>>() // RD3
    let listed = await byUrl.listUserSessions('u', { keys: ['cart'] })
    expectTypeOf(listed)
      .items.toHaveProperty('values')
      .toEqualTypeOf<Partial<Pick<Values, 'cart'>>>() // RD4
    // @ts-expect-error: not a value key (RD5)
    await byUrl.listUserSessions('u', { keys: ['nope'] })
    expectTypeOf(byUrl.close).toEqualTypeOf<() => Promise<void>>() // RD6
  })

  it('takes the schema type as the one explicit type argument', async () => {
    let storage = createMemorySessionStorage<typeof schema>({ schema })
    expectTypeOf(await storage.read(null)).toEqualTypeOf<Session<Values, Flash>>() // EX1
    let options: MemorySessionStorageOptions<typeof schema> = { schema }
    let fromOptions = await createMemorySessionStorage(options).read(null)
    expectTypeOf(fromOptions).toEqualTypeOf<Session<Values, Flash>>() // EX2
    expectTypeOf(storage).toEqualTypeOf<ServerSessionStorage<typeof schema>>() // EX3
    expectTypeOf(storage).toExtend<TypedSessionStorage<typeof schema>>() // EX4
    let valuesOnly = createMemorySessionStorage<{ values: typeof schema.values }>({
      schema: { values: schema.values },
    })
    expectTypeOf(await valuesOnly.read(null)).toEqualTypeOf<Session<Values, AnyData>>() // EX5
    // @ts-expect-error: idleTimeout misspelled, with an explicit type argument (EX6)
    createMemorySessionStorage<typeof schema>({ schema, idleTimout: 1 })
  })

  it('refuses the former two type arguments (values, flash)', () => {
    // @ts-expect-error: one type argument, the schema (EX7)
    createMemorySessionStorage<typeof schema.values, typeof schema.flash>({ schema })
    // @ts-expect-error: one type argument, the schema (EX8)
    expectTypeOf<ServerSessionStorage<typeof schema.values, typeof schema.flash>>()
    // @ts-expect-error: the value schemas alone are no schema (EX9)
    createMemorySessionStorage<typeof schema.values>({ schema: { values: schema.values } })
  })
})
