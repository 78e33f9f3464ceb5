import type { UnstorageStorage } from './unstorage.ts'

/** What is stored under a key: the serialized record and when it ends (ms since the epoch). */
export interface Item {
  data: string
  expires: number
}

/**
 * The item `value` holds: the object unstorage's `getItem` parsed from the item's JSON text, or
 * that text itself (a store that gives back what it was given); `undefined` for anything else.
 */
export function itemOf(value: unknown): Item | undefined {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return undefined
    }
  }
  return isItem(value) ? value : undefined
}

/** Whether `value` is an item this storage writes, parsed. */
function isItem(value: unknown): value is Item {
  let item = value as Partial<Item> | null
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.data === 'string' &&
    typeof item.expires === 'number'
  )
}

/** Whether `value` is an item this storage writes that ended by `now` (ms since the epoch). */
export function isExpiredItem(value: unknown, now: number): boolean {
  let item = itemOf(value)
  return item !== undefined && item.expires <= now
}

/**
 * Removes the item under `key`, then reads it back: unstorage's file drivers resolve a failed
 * delete (`EACCES`, `EPERM`, `EROFS`) as done, and a logout that left the session readable must
 * not report success.
 *
 * @throws {Error} naming `key` when the item is still there (or cannot be read back).
 */
export async function deleteItem(storage: UnstorageStorage, key: string): Promise<void> {
  await storage.removeItem(key)
  let left = await storage.getItem(key)
  if (left === null || left === undefined) return
  let why = left instanceof Error ? 'reading it back failed' : 'the item is still there'
  throw new Error(
    `unstorage did not delete "${key}": ${why} after removeItem() (file drivers report a failed delete as done)`,
    left instanceof Error ? { cause: left } : undefined,
  )
}
