/** The part of a session the micro-benchmarks use; ours and Remix's both have it. */
export interface AnySession {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** The two-method storage contract shared by ours and Remix's storages. */
export interface AnyStorage {
  read(cookieValue: string | null): Promise<AnySession>
  save(session: AnySession): Promise<string | null>
}

/**
 * A typical signed-in session: a user id, a Date, a cart of three lines, a Map of preferences and
 * a number (five keys).
 */
export function typicalValues(): Record<string, unknown> {
  return {
    userId: 'user_8f14e45fceea167a5a36dedd',
    lastLogin: new Date('2025-01-15T10:30:00.000Z'),
    cart: [
      { sku: 'SKU-1001', quantity: 2, price: 19.99 },
      { sku: 'SKU-2042', quantity: 1, price: 149 },
      { sku: 'SKU-3317', quantity: 5, price: 3.5 },
    ],
    preferences: new Map([
      ['theme', 'dark'],
      ['language', 'en-CA'],
      ['currency', 'CAD'],
    ]),
    visits: 42,
  }
}

/** Sets every key of {@link typicalValues} on `session`. */
function fillSession(session: AnySession): void {
  for (let [key, value] of Object.entries(typicalValues())) session.set(key, value)
}

/**
 * Saves a new typical session in `storage` and gives its cookie value.
 *
 * @throws {Error} when the storage gives no cookie value.
 */
export async function saveTypicalSession(storage: AnyStorage): Promise<string> {
  let session = await storage.read(null)
  fillSession(session)
  let value = await storage.save(session)
  if (!value) throw new Error('The storage gave no cookie value for a new session')
  return value
}
