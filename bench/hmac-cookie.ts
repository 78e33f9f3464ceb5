import { createHmac, timingSafeEqual } from 'node:crypto'

/** Options of {@link createHmacCookie}. */
export interface HmacCookieOptions {
  /** `Max-Age` of the cookie `serialize` writes, in seconds. Default none (a session cookie). */
  maxAge?: number
}

/**
 * A hand-written HMAC-SHA256 signed cookie on `node:crypto`, the floor that cookie libraries and
 * servers are compared with: `value.signature` in base64url, verified in constant time.
 */
export function createHmacCookie(name: string, secret: string, options: HmacCookieOptions = {}) {
  let key = Buffer.from(secret)
  let sign = (value: string) => createHmac('sha256', key).update(value).digest('base64url')
  let pattern = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`)
  let attributes = `${options.maxAge === undefined ? '' : `; Max-Age=${options.maxAge}`}; Path=/; HttpOnly; SameSite=Lax`
  return {
    /** The `Set-Cookie` value carrying `value` signed. */
    serialize(value: string): string {
      return `${name}=${value}.${sign(value)}${attributes}`
    },
    /** The value of the cookie in a `Cookie` header; `null` when absent or badly signed. */
    parse(header: string): string | null {
      let signed = pattern.exec(header)?.[1] ?? ''
      let dot = signed.lastIndexOf('.')
      if (dot < 0) return null
      let value = signed.slice(0, dot)
      let expected = Buffer.from(sign(value))
      let given = Buffer.from(signed.slice(dot + 1))
      return given.length === expected.length && timingSafeEqual(given, expected) ? value : null
    },
  }
}
