import { eventually } from '@x/test-kit'
import { expect } from 'vitest'
import type { Data, Session } from '../lib/session.ts'
import type { SessionStorage } from '../lib/session-storage.ts'

/** Saves a new session holding `user: 'ada'`; resolves to its id. */
export async function savedSession(storage: SessionStorage<Data, Data>): Promise<string> {
  let session = await storage.read(null)
  session.set('user', 'ada')
  return (await storage.save(session)) as string
}

/**
 * Stops the storage's server, checks that reads and saves reject while it is down, restarts it,
 * and resolves to the session `id` read again once the storage recovers (without a restart of
 * its own).
 */
export async function outageAndRecovery(
  storage: SessionStorage<Data, Data>,
  server: { stop(): Promise<void>; restart(): Promise<void> },
  id: string,
): Promise<Session> {
  await server.stop()
  await expect(storage.read(id)).rejects.toThrow()
  let pending = await storage.read(null)
  pending.set('x', 1)
  await expect(storage.save(pending)).rejects.toThrow()
  await server.restart()
  return eventually(() => storage.read(id))
}
