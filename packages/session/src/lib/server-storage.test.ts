import { describe, expect, it } from 'vitest'
import { describeSessionStorage } from '../test/storage-conformance.ts'
import { createSessionStorage, type SessionDataStore } from './server-storage.ts'

/** "Your own" storage: a store with four functions, here over a Map. */
function mapStore(map: Map<string, string>): SessionDataStore {
  return {
    readData: async (id) => map.get(id) ?? null,
    createData: async (id, data) => void map.set(id, data),
    updateData: async (id, data) => void map.set(id, data),
    deleteData: async (id) => void map.delete(id),
  }
}

const shared = new Map<string, string>()
describeSessionStorage(
  'createSessionStorage over your own store',
  (options) => createSessionStorage(mapStore(shared), options),
  {
    serverSide: true,
    reopens: true,
  },
)

describe('createSessionStorage', () => {
  it('calls createData for a new session and updateData after, with when it expires', async () => {
    let calls: string[] = []
    let map = new Map<string, string>()
    let storage = createSessionStorage(
      {
        readData: async (id) => map.get(id) ?? null,
        createData: async (id, data, expires) => {
          calls.push(`create ${expires.getTime() - Date.now() > 6 * 86_400_000}`)
          map.set(id, data)
        },
        updateData: async (id, data) => {
          calls.push('update')
          map.set(id, data)
        },
        deleteData: async (id) => {
          calls.push('delete')
          map.delete(id)
        },
      },
      { idleTimeout: 7 * 86_400 },
    )
    let session = await storage.read(null)
    session.set('a', 1)
    let id = (await storage.save(session)) as string
    let again = await storage.read(id)
    again.set('b', 2)
    await storage.save(again)
    again.destroy()
    await storage.save(again)
    expect(calls).toEqual(['create true', 'update', 'delete'])
  })

  it('passes store errors through instead of starting a fresh session', async () => {
    let storage = createSessionStorage({
      readData: () => Promise.reject(new Error('connection refused')),
      createData: () => Promise.reject(new Error('connection refused')),
      updateData: () => Promise.reject(new Error('connection refused')),
      deleteData: () => Promise.reject(new Error('connection refused')),
    })
    await expect(storage.read('D'.repeat(32))).rejects.toThrow('connection refused')
  })
})
