import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'

/** In production (`NODE_ENV=production`) the app is served over HTTPS. */
const production = process.env.NODE_ENV === 'production'

/**
 * The session cookie every recipe shares. In production, set SESSION_SECRET (32+ characters) and
 * serve over HTTPS: the cookie is then `__Host-session` with `Secure`, which no sibling subdomain
 * and no plain-http page can set or overwrite (cookie tossing). Over plain http in development,
 * where a `Secure` cookie may not be kept, it is `session`.
 */
export const cookie = createCookie(production ? '__Host-session' : 'session', {
  secrets: [secret()],
  ...(production ? { secure: true } : {}),
})

function secret(): string {
  let value = process.env.SESSION_SECRET
  if (value) return value
  if (production) throw new Error('Set SESSION_SECRET (32+ characters) in production')
  return 'a-development-secret-of-32-characters'
}

/** One process, so memory storage; use file or Redis storage for more. */
export const storage = createMemorySessionStorage()

/** The home page: who is signed in, and a flash notice if one is waiting. */
export function homePage(user: string | undefined, notice: string | undefined): string {
  return `${notice ? `${notice}. ` : ''}Hello ${user ?? 'stranger'}`
}
