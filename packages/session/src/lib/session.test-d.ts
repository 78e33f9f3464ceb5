import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { Session } from './session.ts'
import { createCookieSessionStorage } from './session-storage/cookie.ts'
import { createFsSessionStorage } from './session-storage/fs.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'

const schema = {
  values: { userId: z.string(), cart: z.array(z.number()) },
  flash: { notice: z.string() },
}

describe('session types', () => {
  it('types get, set and flash from the storage schema', async () => {
    let session = await createMemorySessionStorage({ schema }).read(null)
    expectTypeOf(session).toEqualTypeOf<
      Session<{ userId: string; cart: number[] }, { notice: string }>
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

  it('types every storage alike', async () => {
    let fromCookie = await createCookieSessionStorage({ schema }).read(null)
    let fromFiles = await createFsSessionStorage('/tmp/x-session-types', { schema }).read(null)
    expectTypeOf(fromCookie.get('cart')).toEqualTypeOf<number[] | undefined>()
    expectTypeOf(fromFiles.get('cart')).toEqualTypeOf<number[] | undefined>()
  })

  it('leaves values unknown without a schema', async () => {
    let session = await createMemorySessionStorage().read(null)
    expectTypeOf(session.get('anything')).toEqualTypeOf<unknown>()
    session.set('anything', { nested: [1] })
  })
})
