import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { Session } from './session.ts'
import type { InferData } from './session-schema.ts'
import { createCookieSessionStorage } from './session-storage/cookie.ts'
import { createFsSessionStorage } from './session-storage/fs.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'

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
