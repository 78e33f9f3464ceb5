import { connectBenchRedis } from './bench-redis.ts'

/** Reads the CPU time of a redis-server, over one connection kept open. */
export interface RedisCpuReader {
  /**
   * The server's CPU time so far, user plus system over all its threads (`used_cpu_user` +
   * `used_cpu_sys` of `INFO cpu`, which Redis gives in seconds to the microsecond), in nanoseconds.
   *
   * @throws {Error} when `INFO cpu` holds neither field.
   */
  read(): Promise<number>
  /** Closes the connection. */
  close(): void
}

/** Connects to the Redis at `url` to read its CPU time (see {@link RedisCpuReader}). */
export async function openRedisCpuReader(url: string): Promise<RedisCpuReader> {
  let client = await connectBenchRedis(url)
  return {
    async read() {
      let info = await client.info('cpu')
      let seconds = (field: string) =>
        Number(new RegExp(`^${field}:([0-9.]+)`, 'm').exec(info)?.[1])
      let total = seconds('used_cpu_user') + seconds('used_cpu_sys')
      if (!Number.isFinite(total)) throw new Error(`INFO cpu gave no CPU time:\n${info}`)
      return total * 1e9
    },
    close: () => client.disconnect(),
  }
}
