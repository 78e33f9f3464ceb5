import { connectBenchRedis } from './bench-redis.ts'

/** Deletes every Redis key that starts with `bench:` (all this suite writes); gives how many. */
export async function deleteBenchKeys(): Promise<number> {
  let client = await connectBenchRedis()
  try {
    let deleted = 0
    let cursor = '0'
    do {
      let [next, keys] = await client.scan(cursor, 'MATCH', 'bench:*', 'COUNT', 1000)
      cursor = next
      // One key per DEL, as a Cluster would need.
      for (let key of keys) deleted += await client.del(key)
    } while (cursor !== '0')
    return deleted
  } finally {
    client.disconnect()
  }
}
