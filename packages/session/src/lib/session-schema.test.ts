import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createMemorySessionStorage } from './session-storage/memory.ts'

const schema = {
  values: {
    count: z.string().transform(Number),
    theme: z.enum(['light', 'dark']).default('light'),
    referrer: z.string().nullable(),
    nickname: z.string().transform((text) => text || undefined),
  },
  flash: { attempts: z.string().transform(Number) },
}

describe('session.set and session.flash with schemas whose input and output differ', () => {
  it('takes the input the types ask for and gives back the output', async () => {
    let session = await createMemorySessionStorage({ schema }).read(null)
    session.set('count', '5')
    session.set('theme', 'dark')
    session.set('referrer', 'https://example.com/')
    expect(session.get('count')).toBe(5)
    expect(session.get('theme')).toBe('dark')
    expect(session.get('referrer')).toBe('https://example.com/')
  })

  it('gives back an output of undefined as the value set, not what was stored before', async () => {
    let storage = createMemorySessionStorage({ schema })
    let first = await storage.read(null)
    first.set('nickname', 'ada')
    let next = await storage.read(await storage.save(first))
    next.set('nickname', '')
    expect([next.get('nickname'), next.has('nickname'), next.size]).toEqual([undefined, true, 1])
  })

  it('removes a key set to undefined or null, as without a schema', async () => {
    let session = await createMemorySessionStorage({ schema }).read(null)
    session.set('theme', 'dark')
    session.set('theme', undefined)
    session.set('referrer', 'https://example.com/')
    session.set('referrer', null)
    expect(session.has('theme')).toBe(false)
    expect(session.has('referrer')).toBe(false)
  })

  it('stores the output, which the next request reads back', async () => {
    let storage = createMemorySessionStorage({ schema })
    let first = await storage.read(null)
    first.set('count', '5')
    first.flash('attempts', '3')
    let cookieValue = await storage.save(first)
    let next = await storage.read(cookieValue)
    expect(next.get('count')).toBe(5)
    expect(next.get('attempts')).toBe(3)
  })
})
