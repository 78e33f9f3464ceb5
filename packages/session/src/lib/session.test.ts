import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSession, Session } from './session.ts'
import { createSessionId, isSessionId } from './session-id.ts'

describe('createSessionId', () => {
  it('makes 192-bit base64url ids that are all different', () => {
    let ids = new Set(Array.from({ length: 1000 }, createSessionId))
    expect(ids.size).toBe(1000)
    for (let id of ids) expect(isSessionId(id)).toBe(true)
  })

  it('recognises only ids of that form', () => {
    expect(isSessionId('A'.repeat(32))).toBe(true)
    for (let id of ['A'.repeat(31), `${'A'.repeat(31)}=`, '../../etc/passwd', null, 42]) {
      expect(isSessionId(id)).toBe(false)
    }
  })

  it('accepts exactly 32 characters of A-Z, a-z, 0-9, - and _ (2,000 strings around them)', () => {
    let base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    // Near misses: the characters around each range, a few beyond ASCII, lengths 31 to 33.
    let near = [
      ...base64url,
      '@',
      '[',
      '`',
      '{',
      '/',
      ':',
      '.',
      '+',
      '=',
      ' ',
      '\0',
      'é',
      '\u{1f600}',
    ]
    let ids = fc.oneof(
      fc.string({ unit: fc.constantFrom(...near), minLength: 31, maxLength: 33 }),
      fc.string({ unit: fc.constantFrom(...base64url), minLength: 31, maxLength: 33 }),
    )
    fc.assert(
      fc.property(ids, (id) => {
        let expected = id.length === 32 && [...id].every((char) => base64url.includes(char))
        expect(isSessionId(id)).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('Session', () => {
  it('starts with a new id and no data, clean', () => {
    let session = createSession()
    expect(isSessionId(session.id)).toBe(true)
    expect([session.size, session.dirty, session.destroyed, session.deleteId]).toEqual([
      0,
      false,
      false,
      undefined,
    ])
    expect(session.data).toEqual([{}, {}])
  })

  it('reads initial [values, flash] data, values first', () => {
    let session = new Session('id', [
      { user: 'ada', same: 'value' },
      { notice: 'hi', same: 'flash' },
    ])
    expect([session.get('user'), session.get('notice'), session.get('same')]).toEqual([
      'ada',
      'hi',
      'value',
    ])
    expect(session.has('notice')).toBe(true)
    expect(session.size).toBe(4)
  })

  it('sets, unsets and removes with null or undefined, marking the session dirty', () => {
    let session = createSession()
    session.set('a', 1)
    expect(session.dirty).toBe(true)
    session.set('b', 2)
    session.set('c', 3)
    session.unset('a')
    session.set('b', null)
    session.set('c', undefined)
    expect(session.data).toEqual([{}, {}])
  })

  it('agrees with a Map of its values after any set, unset and get over stored data (500 runs)', () => {
    let key = fc.constantFrom('a', 'b', 'c', 'd', 'constructor', 'toString')
    let value = fc.oneof(fc.integer(), fc.constant(undefined), fc.constant(null), fc.string())
    let step = fc.oneof(
      fc.tuple(fc.constant('set' as const), key, value),
      fc.tuple(fc.constant('unset' as const), key, fc.constant(undefined)),
    )
    let stored = fc.dictionary(key, fc.oneof(fc.integer(), fc.constant(undefined)))
    fc.assert(
      fc.property(stored, stored, fc.array(step, { maxLength: 12 }), (values, flash, steps) => {
        let session = new Session<Record<string, unknown>>('id', [values, flash])
        let model = new Map<string, unknown>(Object.entries(values))
        for (let [action, name, item] of steps) {
          if (action === 'set' && item !== null && item !== undefined) {
            session.set(name, item)
            model.set(name, item)
          } else {
            if (action === 'set') session.set(name, item)
            else session.unset(name)
            model.delete(name)
          }
        }
        let flashKeys = Object.keys(flash)
        expect(session.size).toBe(model.size + flashKeys.length)
        expect(session.data[0]).toStrictEqual(Object.fromEntries(model))
        for (let name of ['a', 'b', 'c', 'd', 'constructor', 'toString', 'other']) {
          let inFlash = flashKeys.includes(name)
          expect(session.has(name)).toBe(model.has(name) || inFlash)
          if (model.has(name)) expect(session.get(name)).toBe(model.get(name))
          else expect(session.get(name)).toBe(inFlash ? flash[name] : undefined)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('copies the data it is given: changing those objects afterwards changes nothing', () => {
    let values: Record<string, unknown> = { user: 'ada' }
    let flash: Record<string, unknown> = { notice: 'hi' }
    let session = new Session('id', [values, flash])
    values.user = 'mallory'
    values.admin = true
    delete flash.notice
    expect([session.get('user'), session.has('admin'), session.get('notice')]).toEqual([
      'ada',
      false,
      'hi',
    ])
  })

  it('refuses __proto__ as a key', () => {
    let session = createSession()
    expect(() => session.set('__proto__', {})).toThrow('"__proto__" cannot be a session key')
    expect(() => session.flash('__proto__', {})).toThrow(TypeError)
  })

  it('consumes a stored flash value when it is read: it leaves data and marks the session dirty', () => {
    let session = new Session('id', [{}, { notice: 'Saved', other: 'kept' }])
    expect(session.dirty).toBe(false)
    expect(session.has('notice')).toBe(true)
    expect(session.dirty).toBe(false)
    expect(session.get('notice')).toBe('Saved')
    expect(session.get('notice')).toBe('Saved')
    expect(session.dirty).toBe(true)
    expect(session.data).toEqual([{}, { other: 'kept' }])
  })

  it('puts flash values for the next request into data, not into get()', () => {
    let session = createSession()
    session.flash('notice', 'Added')
    expect(session.get('notice')).toBeUndefined()
    expect(session.data).toEqual([{}, { notice: 'Added' }])
  })

  it('regenerates the id, keeping data, and remembers the old id to delete when asked', () => {
    let session = new Session('old', [{ user: 'ada' }, {}])
    session.regenerateId()
    expect(session.id).not.toBe('old')
    expect(session.deleteId).toBeUndefined()
    session.regenerateId(true)
    expect(session.deleteId).toBe('old')
    expect(session.get('user')).toBe('ada')
  })

  it('reads as empty once destroyed and refuses changes', () => {
    let session = new Session<{ user: string }, { x?: number }>('id', [{ user: 'ada' }, {}])
    session.destroy()
    expect([
      session.destroyed,
      session.dirty,
      session.size,
      session.get('user'),
      session.has('user'),
    ]).toEqual([true, true, 0, undefined, false])
    expect(session.data).toEqual([{}, {}])
    expect(() => session.set('user', 'bob')).toThrow('The session has been destroyed')
    expect(() => session.flash('x', 1)).toThrow('The session has been destroyed')
    expect(() => session.regenerateId()).toThrow('The session has been destroyed')
  })
})
