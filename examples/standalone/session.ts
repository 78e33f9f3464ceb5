import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'

/**
 * The session cookie and storage every recipe shares. In production, set SESSION_SECRET (32+
 * characters) and serve over HTTPS: the cookie then gets `Secure`, and a `__Host-` name is better.
 */
export const cookie = createCookie('session', {
  secrets: [process.env.SESSION_SECRET ?? 'a-development-secret-of-32-characters'],
})

/** One process, so memory storage; use file or Redis storage for more. */
export const storage = createMemorySessionStorage()

/** The home page: who is signed in, and a flash notice if one is waiting. */
export function homePage(user: string | undefined, notice: string | undefined): string {
  return `${notice ? `${notice}. ` : ''}Hello ${user ?? 'stranger'}`
}
