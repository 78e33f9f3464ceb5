/** Server-side expiry, enforced on every read whatever the cookie says. */
export interface ExpiryOptions {
  /**
   * Seconds of inactivity after which a session ends. Each use renews it (rolling), written back at
   * most once per tenth of this time. Default `604800` (7 days); `Infinity` turns it off.
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

/** Whether an unchanged session should still be written back to renew its idle timeout. */
export function needsRenewal(
  touchedAt: number | undefined,
  lifetime: Lifetime,
  now: number,
): boolean {
  return touchedAt !== undefined && now - touchedAt >= Math.min(lifetime.idleMs / 10, 86_400_000)
}
