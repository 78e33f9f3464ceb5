import nodeCrypto from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it, vi } from 'vitest'
import { CookieSizeError, createCookie } from './cookie.ts'

const secret = 'first-secret-that-is-32-characters'
const older = 'older-secret-that-is-32-characters'

/**
 * Counts the HMACs Node's crypto computes from now on, until `restore`: each ends in the one
 * digest written as base64url (the signature), whichever way the signer makes it.
 */
function countHmacs() {
  let hash = vi.spyOn(nodeCrypto, 'hash')
  let hmac = vi.spyOn(nodeCrypto, 'createHmac')
  return {
    get count() {
      let digests = hash.mock.calls.filter((call) => call[2] === 'base64url').length
      return digests + hmac.mock.calls.length
    },
    clear() {
      hash.mockClear()
      hmac.mockClear()
    },
    restore() {
      hash.mockRestore()
      hmac.mockRestore()
    },
  }
}

/** The `name=value` part of a Set-Cookie header, as a browser sends it back. */
const sent = (setCookie: string) => setCookie.split(';')[0] as string

describe('createCookie', () => {
  it('defaults to Path=/, SameSite=Lax and HttpOnly', async () => {
    let cookie = createCookie('prefs')
    expect(await cookie.serialize('dark')).toBe('prefs=ZGFyaw; HttpOnly; Path=/; SameSite=Lax')
    expect([cookie.httpOnly, cookie.sameSite, cookie.path, cookie.signed]).toEqual([
      true,
      'Lax',
      '/',
      false,
    ])
  })

  it('writes the attributes given, and lets serialize override them', async () => {
    let cookie = createCookie('s', {
      domain: 'example.com',
      path: '/app',
      maxAge: 3600,
      secure: true,
      sameSite: 'Strict',
      httpOnly: false,
    })
    let header = await cookie.serialize('v', { maxAge: 60 })
    expect(header).toBe('s=dg; Domain=example.com; Max-Age=60; Path=/app; SameSite=Strict; Secure')
  })

  it('reads each attribute through its own getter, as on Remix’s Cookie', () => {
    let expires = new Date('2030-01-01T00:00:00Z')
    let cookie = createCookie('s', {
      secrets: [secret],
      domain: 'example.com',
      path: '/app',
      maxAge: 3600,
      expires,
      sameSite: 'None',
      partitioned: true,
    })
    expect({
      name: cookie.name,
      signed: cookie.signed,
      encrypted: cookie.encrypted,
      httpOnly: cookie.httpOnly,
      secure: cookie.secure,
      sameSite: cookie.sameSite,
      path: cookie.path,
      domain: cookie.domain,
      maxAge: cookie.maxAge,
      expires: cookie.expires,
      partitioned: cookie.partitioned,
    }).toEqual({
      name: 's',
      signed: true,
      encrypted: false,
      httpOnly: true,
      secure: true, // implied by partitioned
      sameSite: 'None',
      path: '/app',
      domain: 'example.com',
      maxAge: 3600,
      expires,
      partitioned: true,
    })
    expect('attributes' in cookie).toBe(false)
  })

  it('round-trips any text through parse', async () => {
    let cookie = createCookie('s')
    let text = 'héllo; wörld = "quoted" ✓'
    expect(await cookie.parse(sent(await cookie.serialize(text)))).toBe(text)
    expect(await cookie.parse('other=1; s=')).toBe('')
    expect(await cookie.parse('other=1')).toBeNull()
    expect(await cookie.parse(null)).toBeNull()
  })
})

describe('createCookie values', () => {
  it('signs with the first secret and verifies with any (rotation)', async () => {
    let before = createCookie('s', { secrets: [older] })
    let after = createCookie('s', { secrets: [secret, older] })
    let oldCookie = sent(await before.serialize('user-1'))
    expect(await after.parse(oldCookie)).toBe('user-1')
    let newCookie = sent(await after.serialize('user-2'))
    expect(await createCookie('s', { secrets: [secret] }).parse(newCookie)).toBe('user-2')
    expect(await before.parse(newCookie)).toBeNull()
  })

  it('rejects a tampered, truncated or foreign signature', async () => {
    let cookie = createCookie('s', { secrets: [secret] })
    let value = sent(await cookie.serialize('user-1')).slice(2)
    let [payload, signature] = value.split('.') as [string, string]
    let flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`
    for (let bad of [
      flipped,
      value.slice(0, -3),
      payload,
      `${payload}x.${signature}`,
      `${value}%%`,
    ]) {
      expect(await cookie.parse(`s=${bad}`)).toBeNull()
    }
    let renamed = createCookie('t', { secrets: [secret] })
    expect(await renamed.parse(`t=${value}`)).toBeNull()
  })

  it('tries each cookie of the same name and takes the first valid one', async () => {
    let cookie = createCookie('s', { secrets: [secret] })
    let valid = sent(await cookie.serialize('real')).slice(2)
    expect(await cookie.parse(`s=forged.AAAA; s=${valid}`)).toBe('real')
    expect(await cookie.parse(`s=; s=${valid}`)).toBe('real')
  })

  it('encrypts so the value cannot be read, and decrypts with any secret', async () => {
    let cookie = createCookie('s', { secrets: [older], encrypted: true })
    let header = await cookie.serialize('card 4242')
    expect(header).not.toContain('card')
    let value = sent(header)
    expect(await cookie.parse(value)).toBe('card 4242')
    let rotated = createCookie('s', { secrets: [secret, older], encrypted: true })
    expect(await rotated.parse(value)).toBe('card 4242')
    expect(await createCookie('s', { secrets: [secret], encrypted: true }).parse(value)).toBeNull()
    let sealed = value.slice(2)
    let flipped = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`
    expect(await cookie.parse(`s=${flipped}`)).toBeNull()
    expect(cookie.encrypted).toBe(true)
  })

  it('writes a deleting Set-Cookie for an empty value', async () => {
    let cookie = createCookie('s', { secrets: [secret], maxAge: 3600 })
    expect(await cookie.serialize('')).toBe(
      's=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Max-Age=0; Path=/; SameSite=Lax',
    )
  })

  it('refuses to write a Set-Cookie over 4096 bytes, naming its size', async () => {
    let cookie = createCookie('s')
    await expect(cookie.serialize('x'.repeat(4000))).rejects.toThrow(
      /Cookie "s" would be 53\d\d bytes, over the 4096 bytes browsers keep/,
    )
  })

  it('ignores values over 4096 characters when parsing', async () => {
    let cookie = createCookie('s')
    expect(await cookie.parse(`s=${'QUFB'.repeat(1100)}`)).toBeNull()
  })
})

describe('createCookie refusals', () => {
  it('refuses secrets shorter than 32 characters and encryption without secrets', () => {
    expect(() => createCookie('s', { secrets: ['short'] })).toThrow(/at least 32 characters/)
    expect(() => createCookie('s', { secrets: [secret, 'x'.repeat(31)] })).toThrow(TypeError)
    expect(() => createCookie('s', { encrypted: true })).toThrow(
      'Cookie "s": encrypted cookies need secrets',
    )
  })

  it('refuses encode or decode with encryption, which would not run', () => {
    let identity = (value: string) => value
    for (let codec of [{ encode: identity }, { decode: identity }]) {
      expect(() => createCookie('s', { secrets: [secret], encrypted: true, ...codec })).toThrow(
        /encode and decode do not apply to an encrypted cookie/,
      )
    }
    expect(createCookie('s', { secrets: [secret], encode: identity }).signed).toBe(true)
  })

  it('refuses names and attributes that would inject other attributes or headers', async () => {
    for (let name of ['a b', 'a;b', 'a=b', 'a\r\nSet-Cookie: x', '']) {
      expect(() => createCookie(name)).toThrow(TypeError)
    }
    expect(() => createCookie('s', { domain: 'x.com; Secure' })).toThrow(TypeError)
    expect(() => createCookie('s', { path: '/\r\nX: y' })).toThrow(TypeError)
    let cookie = createCookie('s', { encode: (value) => value })
    await expect(cookie.serialize('a; Domain=evil.com')).rejects.toThrow(TypeError)
    await expect(createCookie('s').serialize('v', { path: '/; Domain=evil' })).rejects.toThrow(
      TypeError,
    )
  })

  it('enforces the __Host- and __Secure- prefix rules, naming what is wrong', async () => {
    let host = createCookie('__Host-s', { secrets: [secret], secure: true })
    expect(await host.serialize('v')).toMatch(
      /^__Host-s=[^;]+; HttpOnly; Path=\/; SameSite=Lax; Secure$/,
    )
    expect(() => createCookie('__Secure-s', { secure: true, domain: 'example.com' })).not.toThrow()
    expect(() => createCookie('__Host-s')).toThrow(
      `Cookie "__Host-s": a __Host- cookie needs secure: true, path '/' and no domain (browsers drop it otherwise): secure: true is missing`,
    )
    expect(() => createCookie('__Host-s', { secure: true, domain: 'example.com' })).toThrow(
      /: domain "example.com" is set$/,
    )
    expect(() => createCookie('__Host-s', { path: '/app' })).toThrow(
      /: secure: true is missing; path is "\/app", not '\/'$/,
    )
    expect(() => createCookie('__Secure-s', { secure: false })).toThrow(
      `Cookie "__Secure-s": a __Secure- cookie needs secure: true (browsers drop it otherwise): secure: true is missing`,
    )
    await expect(host.serialize('v', { secure: false })).rejects.toThrow(/secure: true is missing/)
  })
})

describe('Cookie.parse with several cookies of its name', () => {
  const signature = 'A'.repeat(43)
  /** ~16 KB of well-formed junk pairs of the name, each one costing a verification. */
  const junk = (count: number) =>
    Array.from({ length: count }, (_, index) => `s=junk${index}.${signature}`).join('; ')
  /** Pairs of the name that cannot be signed values: too short, a bad signature length or alphabet. */
  const malformed = (count: number) =>
    Array.from(
      { length: count },
      (_, index) =>
        [`s=junk${index}`, `s=x.${'A'.repeat(42)}`, `s=x.${'A'.repeat(42)}=`][index % 3],
    ).join('; ')

  // Each cookie remembers the values it wrote or verified: the values parsed here come from another
  // instance (another server process), and each parse that counts calls is a first sight.
  const reader = () => createCookie('s', { secrets: [secret, older] })
  const written = async (value: string, encrypted = false) =>
    sent(await createCookie('s', { secrets: [secret, older], encrypted }).serialize(value)).slice(2)

  it('finds the real cookie behind any number of malformed ones, verifying none of 300', async () => {
    let valid = await written('real')
    expect(await reader().parse(`${malformed(3)}; s=${valid}`)).toBe('real')
    let hmac = countHmacs()
    try {
      expect(await reader().parse(`${malformed(300)}; s=${valid}`)).toBe('real')
      expect(hmac.count).toBe(1) // the real one, by the first secret
    } finally {
      hmac.restore()
    }
  })

  it('verifies the first eight well-formed ones, once per secret, however many the header holds', async () => {
    let cookie = reader()
    let valid = await written('real')
    let hmac = countHmacs()
    try {
      expect(await cookie.parse(`${junk(300)}; s=${valid}`)).toBeNull()
      expect(hmac.count).toBe(8 * 2)
      hmac.clear()
      expect(await cookie.parse(`${junk(7)}; s=; s=${valid}; ${junk(300)}`)).toBe('real')
      expect(hmac.count).toBe(7 * 2 + 1)
      hmac.clear()
      expect(await cookie.parse(`${junk(8)}; s=${valid}`)).toBeNull()
      expect(hmac.count).toBe(8 * 2)
    } finally {
      hmac.restore()
    }
  })

  it('decrypts the first eight well-formed ones at most, once per secret, and skips the rest', async () => {
    let cookie = createCookie('s', { secrets: [secret, older], encrypted: true })
    let real = await written('real', true)
    let sealed = Array.from({ length: 300 }, () => `s=${'A'.repeat(60)}`).join('; ')
    let decipher = vi.spyOn(nodeCrypto, 'createDecipheriv')
    try {
      expect(await cookie.parse(sealed)).toBeNull()
      expect(decipher).toHaveBeenCalledTimes(8 * 2)
      decipher.mockClear()
      let short = Array.from({ length: 300 }, () => `s=${'A'.repeat(37)}`).join('; ')
      expect(await cookie.parse(`${short}; s=not*base64url${'A'.repeat(40)}; s=${real}`)).toBe(
        'real',
      )
      expect(decipher).toHaveBeenCalledTimes(1)
    } finally {
      decipher.mockRestore()
    }
  })
})

describe('Cookie.parse of a value seen before', () => {
  const reader = () => createCookie('s', { secrets: [secret, older] })
  const writer = () => createCookie('s', { secrets: [secret, older] })

  it('verifies a value once: sent again unchanged, it costs no HMAC', async () => {
    let cookie = reader()
    let header = sent(await writer().serialize('real'))
    let hmac = countHmacs()
    try {
      expect(await cookie.parse(header)).toBe('real')
      expect(hmac.count).toBe(1)
      expect(await cookie.parse(`other=1; ${header}`)).toBe('real')
      expect(hmac.count).toBe(1)
    } finally {
      hmac.restore()
    }
  })

  it('does not verify a value it wrote itself, with its own attributes or others', async () => {
    for (let props of [undefined, { secure: true }, { maxAge: 60 }]) {
      let cookie = reader()
      let header = sent(await cookie.serialize('mine', props))
      let hmac = countHmacs()
      try {
        expect(await cookie.parse(header)).toBe('mine')
        expect(hmac.count).toBe(0)
      } finally {
        hmac.restore()
      }
    }
  })

  it('does not verify the values it wrote for requests serialized at once, with attributes of their own', async () => {
    let cookie = reader()
    // Each of these awaits between signing its value and remembering it: the others sign meanwhile.
    let headers = await Promise.all(
      ['a', 'b', 'c'].map((value) => cookie.serialize(value, { maxAge: 60 })),
    )
    let hmac = countHmacs()
    try {
      for (let [index, value] of ['a', 'b', 'c'].entries()) {
        expect(await cookie.parse(sent(headers[index] as string))).toBe(value)
      }
      expect(hmac.count).toBe(0)
    } finally {
      hmac.restore()
    }
  })

  it('never remembers a forged value: it is refused, and checked, every time', async () => {
    let cookie = reader()
    let [payload] = sent(await writer().serialize('real'))
      .slice(2)
      .split('.')
    let forged = `s=${payload}.${'A'.repeat(43)}`
    let hmac = countHmacs()
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        expect(await cookie.parse(forged)).toBeNull()
        expect(hmac.count).toBe(attempt * 2) // once per secret
      }
    } finally {
      hmac.restore()
    }
  })

  it('remembers a bounded number of values, keeping one in use: forgotten after 256 others unused', async () => {
    let cookie = reader()
    let source = writer()
    let first = sent(await source.serialize('first'))
    expect(await cookie.parse(first)).toBe('first')
    let parseOthers = async (from: number, to: number) => {
      for (let index = from; index < to; index++) {
        expect(await cookie.parse(sent(await source.serialize(`value ${index}`)))).toBe(
          `value ${index}`,
        )
      }
    }
    let hmac = countHmacs()
    let hmacsToParseFirst = async () => {
      hmac.clear()
      expect(await cookie.parse(first)).toBe('first')
      return hmac.count
    }
    try {
      // Past 128 others the first is among the older half, and known there: it moves back among
      // the newest, so 150 more do not push it out (they would have, left where it was).
      await parseOthers(0, 150)
      expect(await hmacsToParseFirst()).toBe(0)
      await parseOthers(150, 300)
      expect(await hmacsToParseFirst()).toBe(0)
      // 256 others with no use of it push it out.
      await parseOthers(300, 556)
      expect(await hmacsToParseFirst()).toBe(1)
    } finally {
      hmac.restore()
    }
  })

  it('keeps the values it writes apart: 600 of them push out no value a client sent', async () => {
    let cookie = reader()
    let theirs = sent(await writer().serialize('theirs'))
    expect(await cookie.parse(theirs)).toBe('theirs')
    for (let index = 0; index < 600; index++) await cookie.serialize(`written ${index}`)
    let hmac = countHmacs()
    try {
      expect(await cookie.parse(theirs)).toBe('theirs')
      expect(hmac.count).toBe(0)
    } finally {
      hmac.restore()
    }
  })

  it('knows a value it wrote when it comes back within 64 writes, and forgets it after 128', async () => {
    let cookie = reader()
    let mine = sent(await cookie.serialize('mine'))
    let written = 0
    let writeOthers = async (count: number) => {
      for (let index = 0; index < count; index++) await cookie.serialize(`other ${written++}`)
    }
    let hmac = countHmacs()
    try {
      await writeOthers(64)
      hmac.clear()
      expect(await cookie.parse(mine)).toBe('mine')
      expect(hmac.count).toBe(0)
      // Found or not, it leaves 128 writes after its own.
      await writeOthers(64)
      hmac.clear()
      expect(await cookie.parse(mine)).toBe('mine')
      expect(hmac.count).toBe(1)
      // Verified, it is now kept with the values clients sent: writes no longer push it out.
      await writeOthers(600)
      hmac.clear()
      expect(await cookie.parse(mine)).toBe('mine')
      expect(hmac.count).toBe(0)
    } finally {
      hmac.restore()
    }
  })

  it.each([
    ['signed', false],
    ['encrypted', true],
  ] as const)(
    'keeps the %s value it wrote while 200 values too large to send are refused',
    async (_, encrypted) => {
      let cookie = createCookie('s', { secrets: [secret], encrypted })
      let mine = sent(await cookie.serialize('mine'))
      // Each would weigh about 10,000 characters in the cache: 14 would push out the 64 Ki
      // characters a generation holds, twice over, had they been remembered.
      for (let index = 0; index < 200; index++) {
        await expect(cookie.serialize(`other ${index}`.padEnd(3500, '.'))).rejects.toThrow(
          CookieSizeError,
        )
      }
      let hmac = countHmacs()
      let decipher = vi.spyOn(nodeCrypto, 'createDecipheriv')
      try {
        expect(await cookie.parse(mine)).toBe('mine')
        expect([hmac.count, decipher.mock.calls.length]).toEqual([0, 0])
      } finally {
        hmac.restore()
        decipher.mockRestore()
      }
    },
  )

  it('keeps fewer of the large values it writes: one near the 4 KB limit is found after 9 writes, not after 18', async () => {
    // Each entry weighs its cookie value and what it carries (about 6,800 characters here): 9
    // fill half of the 128 Ki characters, where the count alone would keep 64.
    let cookie = reader()
    let large = (label: string) => label.padEnd(2900, '.')
    let mine = sent(await cookie.serialize(large('mine')))
    expect(mine.length).toBeGreaterThan(3900)
    let written = 0
    let writeOthers = async (count: number) => {
      for (let index = 0; index < count; index++) {
        await cookie.serialize(large(`other ${written++}`))
      }
    }
    let hmac = countHmacs()
    try {
      await writeOthers(9)
      hmac.clear()
      expect(await cookie.parse(mine)).toBe(large('mine'))
      expect(hmac.count).toBe(0)
      await writeOthers(9)
      hmac.clear()
      expect(await cookie.parse(mine)).toBe(large('mine'))
      expect(hmac.count).toBe(1)
    } finally {
      hmac.restore()
    }
  })

  it('keeps 256 values it verified without the 64 KB headers they came in', async () => {
    setFlagsFromString('--expose-gc')
    let collectGarbage = runInNewContext('gc') as () => void
    let cookie = reader()
    let signer = writer()
    let values = await Promise.all(
      Array.from({ length: 256 }, async (_, index) =>
        sent(await signer.serialize(`user ${index}`)),
      ),
    )
    collectGarbage()
    let before = process.memoryUsage().heapUsed
    for (let [index, value] of values.entries()) {
      // A new header each time, padded by another cookie as a browser's may be.
      let header = `pad=${String(index).padEnd(64 * 1024, 'x')}; ${value}`
      expect(await cookie.parse(header)).toBe(`user ${index}`)
    }
    collectGarbage()
    let kept = process.memoryUsage().heapUsed - before
    // 256 headers of 64 KB are 16 MB; the values and what they carry, a few dozen KB.
    expect(kept).toBeLessThan(2 * 1024 * 1024)
  })

  it('knows the value each of 60 clients was given last, with the others reading theirs between', async () => {
    let cookie = reader()
    let clients = await Promise.all(
      Array.from({ length: 60 }, async (_, client) => sent(await cookie.serialize(`${client}:0`))),
    )
    let hmac = countHmacs()
    try {
      for (let round = 1; round <= 20; round++) {
        for (let [client, header] of clients.entries()) {
          expect(await cookie.parse(header)).toBe(`${client}:${round - 1}`)
          clients[client] = sent(await cookie.serialize(`${client}:${round}`))
        }
      }
      // Each new value is signed once; none is verified.
      expect(hmac.count).toBe(60 * 20)
    } finally {
      hmac.restore()
    }
  })

  it('refuses a payload swapped under the HMAC of a value it verified before', async () => {
    let cookie = reader()
    let header = sent(await writer().serialize('role=user'))
    expect(await cookie.parse(header)).toBe('role=user')
    let signature = header.slice(header.lastIndexOf('.'))
    // As long as the value verified, and ending as it does: the cache finds that value's entry.
    let swapped = `s=${Buffer.from('role=boss').toString('base64url')}${signature}`
    expect(swapped.length).toBe(header.length)
    expect(await cookie.parse(swapped)).toBeNull()
    // Of another length too: the cache's key is made from the end alone, the value is compared.
    let longer = `s=${Buffer.from('role=admin').toString('base64url')}${signature}`
    let hmac = countHmacs()
    try {
      expect(await cookie.parse(longer)).toBeNull()
      expect(hmac.count).toBe(2) // verified with each secret, and refused
    } finally {
      hmac.restore()
    }
  })

  it('lets a payload swapped under a remembered HMAC push out no value it remembers', async () => {
    let cookie = reader()
    let source = writer()
    let first = sent(await source.serialize('role=user'))
    let others: string[] = []
    for (let index = 0; index < 255; index++) others.push(sent(await source.serialize(`v${index}`)))
    // The first and 127 others fill the newer half; the 128 after them make those the older half
    // and fill the newer one again.
    for (let value of [first, ...others]) expect(await cookie.parse(value)).not.toBeNull()
    let signature = first.slice(first.lastIndexOf('.'))
    let swapped = `s=${Buffer.from('role=boss').toString('base64url')}${signature}`
    let hmac = countHmacs()
    try {
      expect(await cookie.parse(swapped)).toBeNull()
      expect(hmac.count).toBe(2)
      // Had the swap moved the first value into the full newer half, the older half (the first
      // and the 127 others after it) would have been dropped, and this one verified again.
      hmac.clear()
      expect(await cookie.parse(others[0] as string)).toBe('v0')
      expect(hmac.count).toBe(0)
    } finally {
      hmac.restore()
    }
  })

  it('reads back what UTF-8 carries of a value it wrote, as any other reader does', async () => {
    let cookie = reader()
    let header = sent(await cookie.serialize('lone \uD800 surrogate'))
    expect(await cookie.parse(header)).toBe('lone \uFFFD surrogate')
    expect(await reader().parse(header)).toBe('lone \uFFFD surrogate')
  })

  it('reads back a value that starts with a byte order mark as written, signed or encrypted, remembered or not', async () => {
    for (let encrypted of [false, true]) {
      let make = () => createCookie('s', { secrets: [secret], encrypted })
      let cookie = make()
      let header = sent(await cookie.serialize('\uFEFFadmin'))
      expect(await cookie.parse(header)).toBe('\uFEFFadmin')
      expect(await make().parse(header)).toBe('\uFEFFadmin')
    }
  })

  it('decrypts a value once, and one it encrypted not at all', async () => {
    let cookie = createCookie('s', { secrets: [secret], encrypted: true })
    let other = createCookie('s', { secrets: [secret], encrypted: true })
    let theirs = sent(await other.serialize('theirs'))
    let mine = sent(await cookie.serialize('mine'))
    let decipher = vi.spyOn(nodeCrypto, 'createDecipheriv')
    try {
      expect(await cookie.parse(theirs)).toBe('theirs')
      expect(await cookie.parse(theirs)).toBe('theirs')
      expect(await cookie.parse(mine)).toBe('mine')
      expect(decipher).toHaveBeenCalledTimes(1)
    } finally {
      decipher.mockRestore()
    }
  })

  it('remembers nothing for another cookie: one with other secrets refuses the value', async () => {
    let header = sent(await writer().serialize('real'))
    expect(await reader().parse(header)).toBe('real')
    let rotated = createCookie('s', { secrets: ['third-secret-that-is-32-characters!'] })
    expect(await rotated.parse(header)).toBeNull()
  })
})
