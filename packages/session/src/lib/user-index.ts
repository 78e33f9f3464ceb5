import * as devalue from 'devalue'
import { toBase64Url } from './base64url.ts'
import type { SessionDataStore } from './server-storage.ts'

/** The most session ids an index keeps per user; older ones are forgotten. */
const maxSessionsPerUser = 100

/**
 * The ids of each user's sessions, kept in the session store itself under ids that can never be
 * session ids (they contain a `.`), so no cookie can name them.
 */
export class UserIndex {
  #store: SessionDataStore
  #withLock: <Result>(id: string, task: () => Promise<Result>) => Promise<Result>

  constructor(
    store: SessionDataStore,
    withLock: <Result>(id: string, task: () => Promise<Result>) => Promise<Result>,
  ) {
    this.#store = store
    this.#withLock = withLock
  }

  /** Records that session `id` belongs to `user`, until `expires` at least. */
  async add(user: string, id: string, expires: Date): Promise<void> {
    let key = await indexId(user)
    await this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      let ids = (stored === null ? [] : parseIds(stored)).filter((known) => known !== id)
      ids.push(id)
      let data = devalue.stringify(ids.slice(-maxSessionsPerUser))
      if (stored === null) await this.#store.createData(key, data, expires)
      else await this.#store.updateData(key, data, expires)
    })
  }

  /** Deletes every recorded session of `user` and the index; resolves to how many ids it held. */
  async destroyAll(user: string): Promise<number> {
    let key = await indexId(user)
    return this.#withLock(key, async () => {
      let stored = await this.#store.readData(key)
      let ids = stored === null ? [] : parseIds(stored)
      for (let id of ids) await this.#withLock(id, () => this.#store.deleteData(id))
      await this.#store.deleteData(key)
      return ids.length
    })
  }
}

async function indexId(user: string): Promise<string> {
  let digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(user))
  return `user.${toBase64Url(new Uint8Array(digest))}`
}

function parseIds(text: string): string[] {
  try {
    let ids: unknown = devalue.parse(text)
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}
