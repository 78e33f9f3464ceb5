/** Server-side expiry, enforced on every read whatever the cookie says. */
export interface ExpiryOptions {
  /**
   * Seconds of inactivity after which a session ends. Use renews it (rolling): any use a tenth of
   * this time (at most a day) after the last renewal, a change a minute after it. The renewal is
   * written back, and a server storage sends its cookie again then (not for changes in between),
   * so a cookie `Max-Age` of at least this long ends no sooner than the session. Default `604800`
   * (7 days); `Infinity` turns it off (a session is still renewed daily).
   */
  idleTimeout?: number
  /**
   * Seconds after its creation at which a session ends, however active. Default `2592000` (30
   * days); `Infinity` turns it off.
   */
  absoluteTimeout?: number
}

/** Expiry in milliseconds, checked. */
export interface Lifetime {
  idleMs: number
  absoluteMs: number
}

/** The timestamps kept with every stored session, in ms since the epoch. */
export interface Timestamps {
  createdAt: number
  touchedAt: number
}

/**
 * Checks and converts expiry options.
 *
 * @throws {TypeError} when a timeout is not a positive number of seconds.
 */
export function resolveLifetime(options: ExpiryOptions = {}): Lifetime {
  let idle = options.idleTimeout ?? 604_800
  let absolute = options.absoluteTimeout ?? 2_592_000
  for (let [name, value] of [
    ['idleTimeout', idle],
    ['absoluteTimeout', absolute],
  ] as const) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new TypeError(
        `${name} must be a positive number of seconds (or Infinity), got ${value}`,
      )
    }
  }
  return { idleMs: idle * 1000, absoluteMs: absolute * 1000 }
}

/** When a session with these timestamps ends, in ms since the epoch (may be `Infinity`). */
export function expiresAt(times: Timestamps, lifetime: Lifetime): number {
  return Math.min(times.touchedAt + lifetime.idleMs, times.createdAt + lifetime.absoluteMs)
}

/** Whether a session with these timestamps has ended at `now`. */
export function isExpired(times: Timestamps, lifetime: Lifetime, now: number): boolean {
  return now >= expiresAt(times, lifetime)
}

/**
 * How long after its last renewal a session is renewed by any use (ms): a tenth of the idle
 * timeout, at most a day.
 */
function renewalInterval(lifetime: Lifetime): number {
  return Math.min(lifetime.idleMs / 10, 86_400_000)
}

/** Whether an unchanged session should still be written back to renew its idle timeout. */
export function needsRenewal(
  touchedAt: number | undefined,
  lifetime: Lifetime,
  now: number,
): boolean {
  return touchedAt !== undefined && now >= renewalAt(touchedAt, lifetime)
}

/** When (ms since the epoch) any use renews a session last renewed at `touchedAt`. */
export function renewalAt(touchedAt: number, lifetime: Lifetime): number {
  return touchedAt + renewalInterval(lifetime)
}

/**
 * Whether a save that changes a server-stored session renews it too (and sends its cookie again):
 * when its last renewal is a minute old, or the renewal is due anyway. So a session that changes
 * shows its last use, and keeps its place among a user's sessions (`maxSessionsPerUser`), to within
 * a minute, at one `Set-Cookie` a minute at most.
 */
export function renewsOnChange(touchedAt: number, lifetime: Lifetime, now: number): boolean {
  return now - touchedAt >= Math.min(renewalInterval(lifetime), 60_000)
}
