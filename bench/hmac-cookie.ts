import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A hand-written HMAC-SHA256 signed cookie on `node:crypto`, the floor that cookie libraries are
 * compared with: `value.signature` in base64url, verified in constant time.
 */
export function createHmacCookie(name: string, secret: string) {
  let key = Buffer.from(secret)
  let sign = (value: string) => createHmac('sha256', key).update(value).digest('base64url')
  let pattern = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`)
  return {
    serialize(value: string): string {
      return `${name}=${value}.${sign(value)}; Path=/; HttpOnly; SameSite=Lax`
    },
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
