export type { CookieSessionStorageOptions } from './lib/session-storage/cookie.ts'
export { createCookieSessionStorage } from './lib/session-storage/cookie.ts'
