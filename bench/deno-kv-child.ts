// Run by Deno (`deno run --unstable-kv`, see deno-kv-bench.ts) with a directory for the KV file:
// times read + save of the typical session on our memory storage and on our Deno KV storage over
// a local KV file, with the loop and the interleaved rounds the Node storage table uses, and
// prints the Deno version and the measurements as one JSON line.
import type { DenoKv } from '@x/session/deno-kv-storage'
import { createDenoKvSessionStorage } from '@x/session/deno-kv-storage'
import { createMemorySessionStorage } from '@x/session/memory-storage'
import { denoKvRow, denoMemoryRow } from './deno-kv-rows.ts'
import { storageTask } from './storage-task.ts'
import { measureTasks } from './tiny.ts'

/** The part of Deno's global this script uses (the bench type-checks without Deno's types). */
interface DenoGlobal {
  args: string[]
  version: { deno: string }
  openKv(path: string): Promise<DenoKv & { close(): void }>
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno

let [directory] = deno.args
if (directory === undefined) throw new Error('Usage: deno-kv-child.ts <directory for the KV file>')
let kv = await deno.openKv(`${directory}/sessions.kv`)
try {
  let tasks = [
    await storageTask(denoMemoryRow, createMemorySessionStorage()),
    await storageTask(denoKvRow, createDenoKvSessionStorage(kv)),
  ]
  let measurements = await measureTasks(tasks)
  console.log(JSON.stringify({ deno: deno.version.deno, measurements: [...measurements] }))
} finally {
  kv.close()
}
