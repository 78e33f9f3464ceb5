export type { CookieOptions } from './lib/cookie.ts'
export { Cookie, createCookie, maxCookieSize } from './lib/cookie.ts'
