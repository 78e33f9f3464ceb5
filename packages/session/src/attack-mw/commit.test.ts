import { describe, expect, it } from 'vitest'
import { commitSession } from '../lib/commit-session.ts'
import { createCookie } from '../lib/cookie.ts'
import { createSessionStorage } from '../lib/server-storage.ts'
import { createCookieSessionStorage } from '../lib/session-storage/cookie.ts'
import { createMemorySessionStorage } from '../lib/session-storage/memory.ts'
import type { SessionStorage } from '../lib/session-storage.ts'
import { SessionStorageError } from '../lib/session-storage-error.ts'

const secret = 'a-test-secret-that-is-32-chars-long!'
const cookie = createCookie('sid', { secrets: [secret] })
const sent = (r: Response) => String(r.headers.get('Set-Cookie')).split(';')[0]
const req = (url = 'http://x.test/', method = 'GET') => new Request(url, { method })

async function dirty(storage: SessionStorage = createMemorySessionStorage()) {
  let s = await storage.read(null)
  s.set('user', 'ada')
  return { s, storage }
}

describe('cache-control variants', () => {
  for (let cc of [
    'max-age=600',
    'no-cache',
    'must-revalidate, max-age=60',
    'stale-while-revalidate=60',
    'immutable, max-age=31536000',
    'Public',
    'public,max-age=0',
    's-maxage=0',
    'no-store, public',
    'public, private="set-cookie"',
    'private="Set-Cookie", max-age=600',
    'public, no-cache="Set-Cookie"',
    'foo="a,private,b", public',
  ]) {
    it(cc, async () => {
      let { s, storage } = await dirty()
      let out: string
      try {
        let r = await commitSession(req(), new Response('x', { headers: { 'Cache-Control': cc } }), s, {
          cookie,
          storage,
        })
        out = `set-cookie=${r.headers.has('Set-Cookie')} cc=${r.headers.get('Cache-Control')}`
      } catch (e) {
        out = `threw ${(e as Error).constructor.name}`
      }
      console.log(`[CC] ${JSON.stringify(cc)} -> ${out}`)
    })
  }
  it('two Cache-Control headers', async () => {
    let { s, storage } = await dirty()
    let h = new Headers()
    h.append('Cache-Control', 'max-age=60')
    h.append('Cache-Control', 'public')
    await expect(commitSession(req(), new Response('x', { headers: h }), s, { cookie, storage })).rejects.toThrow()
  })
  it('CDN-Cache-Control / Surrogate-Control', async () => {
    for (let [name, value] of [
      ['CDN-Cache-Control', 'public, max-age=600'],
      ['Surrogate-Control', 'max-age=600'],
      ['Cloudflare-CDN-Cache-Control', 'max-age=600'],
    ]) {
      let { s, storage } = await dirty()
      let r = await commitSession(req(), new Response('x', { headers: { [name as string]: value as string } }), s, {
        cookie,
        storage,
      })
      console.log(`[CDN] ${name}: ${value} -> set-cookie=${r.headers.has('Set-Cookie')} cc=${r.headers.get('Cache-Control')} ${name}=${r.headers.get(name as string)}`)
    }
  })
})

describe('odd responses', () => {
  it('Response.error(), used body, 204, 304', async () => {
    let storage = createMemorySessionStorage()
    let s0 = await storage.read(null)
    s0.set('u', 1)
    let c0 = sent(await commitSession(req(), new Response('x'), s0, { cookie, storage }))
    // login with regenerateId(true), then the response is unusable
    let s = await storage.read(await cookie.parse(c0))
    s.regenerateId(true)
    s.set('u', 2)
    let err = await commitSession(req(), Response.error(), s, { cookie, storage }).catch((e) => e)
    console.log('[ODD] Response.error ->', err?.constructor?.name, String(err?.message ?? err).slice(0, 80))
    // was the save done anyway? old id state:
    let again = await storage.read(await cookie.parse(c0))
    console.log('[ODD] old cookie after failed commit: u=', again.get('u'), 'sameId=', again.id === s.id)
    let used = new Response('body')
    await used.text()
    let s2 = (await dirty(storage)).s
    let err2 = await commitSession(req(), used, s2, { cookie, storage }).catch((e) => e)
    console.log('[ODD] used body ->', err2?.constructor?.name, err2 instanceof SessionStorageError)
    for (let status of [204, 304]) {
      let s3 = (await dirty(storage)).s
      let r = await commitSession(req(), new Response(null, { status }), s3, { cookie, storage })
      console.log('[ODD]', status, r.status, r.headers.has('Set-Cookie'))
    }
  })
  it('shared response body: copy and original share a stream', async () => {
    let storage = createMemorySessionStorage()
    let shared = new Response('hello', { headers: { 'Content-Length': '5' } })
    let s = (await dirty(storage)).s
    let r = await commitSession(req(), shared, s, { cookie, storage })
    console.log('[SHARE] orig headers has Set-Cookie:', shared.headers.has('Set-Cookie'), 'copy CL', r.headers.get('content-length'))
    await r.text()
    console.log('[SHARE] original bodyUsed after copy read:', shared.bodyUsed)
  })
  it('content-length of a copy built from a string body', async () => {
    let storage = createMemorySessionStorage()
    let s = (await dirty(storage)).s
    let orig = new Response('hello')
    let r = await commitSession(req(), orig, s, { cookie, storage })
    // Does undici know the length? Serve both through node http and compare.
    const http = await import('node:http')
    async function serve(res: Response) {
      let server = http.createServer(async (_q, w) => {
        w.statusCode = res.status
        for (let [k, v] of res.headers) w.setHeader(k, v)
        w.end(Buffer.from(await res.arrayBuffer()))
      })
      await new Promise<void>((ok) => server.listen(0, ok))
      server.close()
    }
    void serve
    console.log('[CL] orig body type', typeof (orig as any).body, 'copy type')
  })
})

describe('secure', () => {
  it('plain object requests', async () => {
    let storage = createMemorySessionStorage()
    for (let url of ['HTTPS://x.test/', '/relative', 'https://x.test/']) {
      let s = (await dirty(storage)).s
      let r = await commitSession({ method: 'GET', url }, new Response('x'), s, { cookie, storage })
      console.log('[SEC]', url, /Secure/.test(String(r.headers.get('Set-Cookie'))))
    }
    let s = (await dirty(storage)).s
    let r = await commitSession({ method: 'get', url: 'https://x' }, new Response('x'), s, { cookie, storage })
    console.log('[SEC] lower-case method get saved:', r.headers.has('Set-Cookie'))
    let s2 = (await dirty(storage)).s
    let r2 = await commitSession({ method: 'head', url: 'https://x' }, new Response('x'), s2, { cookie, storage })
    console.log('[SEC] lower-case method head saved (should not):', r2.headers.has('Set-Cookie'))
  })
  it('deleting cookie over https gets Secure; __Host- ok', async () => {
    let storage = createMemorySessionStorage()
    let s = (await dirty(storage)).s
    s.destroy()
    let r = await commitSession(req('https://x.test/'), new Response('x'), s, { cookie, storage })
    console.log('[SEC] destroy:', r.headers.get('Set-Cookie'))
    let insecure = createCookie('sid2', { secrets: [secret], secure: false })
    let s2 = (await dirty(storage)).s
    let r2 = await commitSession(req('https://x.test/'), new Response('x'), s2, { cookie: insecure, storage })
    console.log('[SEC] secure:false over https:', r2.headers.get('Set-Cookie'))
    let none = createCookie('sid3', { secrets: [secret], sameSite: 'None' })
    let s3 = (await dirty(storage)).s
    let r3 = await commitSession(req('http://x.test/'), new Response('x'), s3, { cookie: none, storage })
    console.log('[SEC] SameSite=None over http:', r3.headers.get('Set-Cookie'))
  })
})

describe('classification', () => {
  it('custom storage throwing RangeError / TypeError / DevalueError-like', async () => {
    for (let err of [new RangeError('ECONNRESET'), new TypeError('fetch failed'), Object.assign(new Error('x'), { name: 'DevalueError' })]) {
      let storage = createSessionStorage({
        readData: async () => null,
        createData: async () => {
          throw err
        },
        updateData: async () => {
          throw err
        },
        deleteData: async () => {},
      } as any)
      let s = await storage.read(null)
      s.set('a', 1)
      let e = await commitSession(req(), new Response('x'), s, { cookie, storage }).catch((e) => e)
      console.log('[CLS]', err.constructor.name, err.name, '->', e?.constructor?.name)
    }
  })
  it('server storage with a function value', async () => {
    let storage = createMemorySessionStorage()
    let s = await storage.read(null)
    s.set('f', (() => 1) as any)
    let e = await commitSession(req(), new Response('x'), s, { cookie, storage }).catch((e) => e)
    console.log('[CLS] function value ->', e?.constructor?.name, e instanceof SessionStorageError)
    let cs = createCookieSessionStorage()
    let s2 = await cs.read(null)
    s2.set('f', (() => 1) as any)
    let e2 = await commitSession(req(), new Response('x'), s2, { cookie, storage: cs }).catch((e) => e)
    console.log('[CLS] function value cookie storage ->', e2?.constructor?.name)
    let s3 = await storage.read(null)
    s3.set('b', BigInt(1) as any)
    class K { x = 1 }
    s3.set('k', new K() as any)
    let e3 = await commitSession(req(), new Response('x'), s3, { cookie, storage }).catch((e) => e)
    console.log('[CLS] class instance ->', e3?.constructor?.name)
  })
  it('commit twice after regenerateId(true)', async () => {
    let storage = createMemorySessionStorage()
    let s0 = await storage.read(null)
    s0.set('u', 1)
    let c0 = sent(await commitSession(req(), new Response('x'), s0, { cookie, storage }))
    let s = await storage.read(await cookie.parse(c0))
    s.regenerateId(true)
    s.set('u', 2)
    let a = await commitSession(req(), new Response('x'), s, { cookie, storage })
    let b = await commitSession(req(), new Response('x'), s, { cookie, storage })
    console.log('[TWICE]', sent(a).slice(0, 20), '|', b.headers.get('Set-Cookie')?.slice(0, 40))
  })
  it('renewal on public response with cookie storage', async () => {
    let cs = createCookieSessionStorage({ idleTimeout: 100 })
    let s = await cs.read(null)
    s.set('u', 1)
    let c = sent(await commitSession(req(), new Response('x'), s, { cookie, storage: cs }))
    console.log('[RENEW] first', c.length)
  })
})

describe('cookie parse', () => {
  it('tossing', async () => {
    let storage = createMemorySessionStorage()
    let s = (await dirty(storage)).s
    let real = sent(await commitSession(req(), new Response('x'), s, { cookie, storage }))
    let fake = `sid=${'A'.repeat(40)}.${'B'.repeat(43)}`
    for (let n of [1, 2, 3]) {
      let header = `${Array(n).fill(fake).join('; ')}; ${real}`
      console.log('[TOSS]', n, 'junk ahead ->', (await cookie.parse(header)) === null ? 'SIGNED OUT' : 'ok')
    }
    // junk without valid shape counts too?
    let header = `sid=x; sid=y; sid=z; ${real}`
    console.log('[TOSS] 3 short junk ->', (await cookie.parse(header)) === null ? 'SIGNED OUT' : 'ok')
    console.log('[TOSS] quoted space junk ->', (await cookie.parse(`sid=" "; sid=" "; sid=" "; ${real}`)) === null ? 'SIGNED OUT' : 'ok')
    // attacker's own valid session ahead
    let s2 = (await dirty(storage)).s
    s2.set('user', 'mallory')
    let mallory = sent(await commitSession(req(), new Response('x'), s2, { cookie, storage }))
    let v = await cookie.parse(`${mallory}; ${real}`)
    console.log('[TOSS] attacker valid first wins:', v === (await cookie.parse(mallory)))
    // joined with ", " (Fetch Headers)
    let h = new Headers()
    h.append('Cookie', 'a=1')
    h.append('Cookie', real)
    console.log('[HDR] joined:', JSON.stringify(h.get('Cookie')?.slice(0, 12)), '->', (await cookie.parse(h.get('Cookie'))) === null ? 'MISSED' : 'ok')
    // timing: 5000 well-formed junk
    let big = `${Array(5000).fill(fake).join('; ')}; ${real}`
    let t = performance.now()
    await cookie.parse(big)
    console.log('[PERF] 5000 junk parse ms', (performance.now() - t).toFixed(2))
    let cookie2 = createCookie('sid', { secrets: [secret, `${secret}2`, `${secret}3`] })
    t = performance.now()
    let junk300 = `${Array(300).fill(fake).join('; ')}`
    for (let i = 0; i < 100; i++) {
      // uncapped cost estimate: verify each
      for (let j = 0; j < 300; j++) await cookie2.parse(fake)
    }
    console.log('[PERF] 300 verifications x3 secrets, per request ms', ((performance.now() - t) / 100).toFixed(3), junk300.length)
    // prefixes
    console.log('[NAME] sidx:', await cookie.parse(`sidx=${real.slice(4)}`), ' SID:', await cookie.parse(`SID=${real.slice(4)}`), ' __Host-sid:', await cookie.parse(`__Host-${real}`))
    console.log('[NAME] "sid =":', (await cookie.parse(`sid =${real.slice(4)}`)) !== null, ' quoted:', (await cookie.parse(`sid="${real.slice(4)}"`)) !== null)
  })
})
