import { runCookieCryptoBench } from './cookie-crypto-bench.ts'
import { deleteBenchKeys } from './redis-cleanup.ts'
import type { ResultTable } from './result-table.ts'
import { runSerializationBench } from './serialization-bench.ts'
import { runSessionMemory } from './session-memory.ts'
import { runStorageBench } from './session-storage-bench.ts'

/**
 * The session micro-benchmarks: read + save per storage, cookie signing and encryption, devalue,
 * and memory per stored session. Redis keys written under `bench:` are deleted afterwards.
 */
export async function runSessionMicro(log: (line: string) => void): Promise<ResultTable[]> {
  try {
    return [
      await runStorageBench(log),
      await runCookieCryptoBench(log),
      await runSerializationBench(log),
      await runSessionMemory(log),
    ]
  } finally {
    await deleteBenchKeys()
  }
}
