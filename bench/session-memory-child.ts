import { createMemorySessionStorage as createRemixMemoryStorage } from '@remix-run/session/memory-storage'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { type AnyStorage, saveTypicalSession } from './typical-session.ts'

// Run by session-memory.ts with --expose-gc: saves SESSION_COUNT typical sessions in one memory
// storage and prints the heap growth per session, in bytes, as JSON.
const factories: Record<string, () => AnyStorage> = {
  ours: () => createMemorySessionStorage({ maxSessions: 1_000_000 }),
  remix: () => createRemixMemoryStorage(),
}
let create = factories[process.argv[2] ?? '']
if (create === undefined) throw new Error(`Unknown storage "${process.argv[2]}"`)
let count = Number(process.env.SESSION_COUNT ?? 10_000)
let gc = globalThis.gc
if (gc === undefined) throw new Error('Run with --expose-gc')

// Warm up in a storage that is then dropped, so compiled code and caches are not counted.
let warm = create()
for (let index = 0; index < 200; index++) await saveTypicalSession(warm)
warm = create()

let storage = create()
gc()
let before = process.memoryUsage().heapUsed
for (let index = 0; index < count; index++) await saveTypicalSession(storage)
gc()
let after = process.memoryUsage().heapUsed
console.log(JSON.stringify({ bytesPerSession: (after - before) / count, kept: storage !== warm }))
