import { describe, expect, it } from 'vitest'
import { commitSession } from './commit-session.ts'
import { createCookie } from './cookie.ts'
import { createMemorySessionStorage } from './session-storage/memory.ts'

const cookie = createCookie('sid', { secrets: ['a-test-secret-that-is-32-chars-long!'] })

/** Commits a changed session onto a response with `headers`: the answer, or the error. */
async function commitChanged(headers: Headers): Promise<Response | Error> {
  let storage = createMemorySessionStorage()
  let session = await storage.read(null)
  session.set('user', 'ada')
  let response = new Response('page', { headers })
  let request = new Request('http://x.test/')
  return commitSession(request, response, session, { cookie, storage }).catch(
    (error: Error) => error,
  )
}

/** What a refusal names: the header and its value, as `Name: value`. */
function named(outcome: Response | Error): string | undefined {
  return outcome instanceof Error
    ? /may store the response \((.*?)\)/.exec(outcome.message)?.[1]
    : undefined
}

describe('commitSession and the caching headers of a response', () => {
  /** Every caching header, storable; a row of the table below keeps the first few. */
  const storable: [string, string][] = [
    ['Cache-Control', 'max-age=5'],
    ['Surrogate-Control', 'max-age=4'],
    ['Vercel-CDN-Cache-Control', 'max-age=3'],
    ['Cloudflare-CDN-Cache-Control', 'max-age=2'],
    ['CDN-Cache-Control', 'max-age=1'],
  ]

  it.each([
    [5, 'CDN-Cache-Control: max-age=1'],
    [4, 'Cloudflare-CDN-Cache-Control: max-age=2'],
    [3, 'Vercel-CDN-Cache-Control: max-age=3'],
    [2, 'Surrogate-Control: max-age=4'],
    [1, 'Cache-Control: max-age=5'],
  ])('names the CDN headers before Cache-Control (%i storable): %s', async (count, expected) => {
    expect(named(await commitChanged(new Headers(storable.slice(0, count))))).toBe(expected)
  })

  it('reads duplicate Cache-Control fields as one list: max-age=60 then private is private', async () => {
    let headers = new Headers()
    headers.append('Cache-Control', 'max-age=60')
    headers.append('Cache-Control', 'private')
    let answer = await commitChanged(headers)
    expect(answer).toBeInstanceOf(Response)
    expect((answer as Response).headers.get('Set-Cookie')).toMatch(/^sid=/)
    expect((answer as Response).headers.get('Cache-Control')).toBe('max-age=60, private')
  })

  it('reads duplicate CDN-Cache-Control fields as one list too', async () => {
    let headers = new Headers({ 'Cache-Control': 'private' })
    headers.append('CDN-Cache-Control', 'no-store')
    headers.append('CDN-Cache-Control', 'max-age=60')
    expect(named(await commitChanged(headers))).toBeUndefined()
    headers.set('CDN-Cache-Control', 'max-age=60')
    headers.append('CDN-Cache-Control', 'public')
    expect(named(await commitChanged(headers))).toBe('CDN-Cache-Control: max-age=60, public')
  })

  it('matches header names in any case, and names them in their usual case', async () => {
    let headers = new Headers({ 'cache-CONTROL': 'private', 'cdn-cache-CONTROL': 'public' })
    expect(named(await commitChanged(headers))).toBe('CDN-Cache-Control: public')
  })

  it('ignores headers named like Object.prototype members, and empty CDN headers', async () => {
    let headers = new Headers({ 'CDN-Cache-Control': '', 'Surrogate-Control': ' ' })
    for (let name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      headers.append(name, 'public, max-age=600')
    }
    let answer = await commitChanged(headers)
    expect(answer).toBeInstanceOf(Response)
    let copied = (answer as Response).headers
    expect(copied.get('Set-Cookie')).toMatch(/^sid=/)
    expect(copied.get('Cache-Control')).toBe('private, no-store')
    expect(copied.get('__proto__')).toBe('public, max-age=600')
  })
})
