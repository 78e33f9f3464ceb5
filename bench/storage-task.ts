import type { TinyTask } from './tiny.ts'
import { type AnyStorage, saveTypicalSession } from './typical-session.ts'

/**
 * The task `name` of the storage tables: one request's worth of session work on `storage` (read
 * the typical session from its cookie value, change one key, save it; signing the cookie is timed
 * separately), starting from a typical session it saves first. The same loop runs under Node and
 * under Deno.
 */
export async function storageTask(name: string, storage: AnyStorage): Promise<TinyTask> {
  let value = await saveTypicalSession(storage)
  return {
    name,
    async fn() {
      let session = await storage.read(value)
      session.set('visits', (session.get('visits') as number) + 1)
      value = (await storage.save(session)) ?? value
    },
  }
}
