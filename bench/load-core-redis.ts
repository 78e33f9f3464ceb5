import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { freePort, RedisNode } from '@x/test-kit'
import { loadCore, pinningLauncher } from './cpu-pinning.ts'
import { cleanUpOnExit } from './exit-cleanup.ts'

/** A redis-server of the bench's own on wrk's core, started by {@link startLoadCoreRedis}. */
export interface LoadCoreRedis {
  /** Its `redis://127.0.0.1:<port>` URL, the `REDIS_URL` of the servers that use it. */
  url: string
  /** Kills its process group and deletes its directory (no data outlives the section). */
  stop(): Promise<void>
}

/**
 * Starts a redis-server of the bench's own (no persistence, a free loopback port) for the Redis
 * rows of the HTTP and profile sections and for `instructions.ts`, pinned to the load generator's
 * core as wrk is (`cpu-pinning.ts`; unpinned on a machine with fewer than 2 cores): the server's
 * core then runs the server alone, as it would with Redis on another machine, and its CPU column
 * and req/s measure the server, not the scheduler's choice of where Redis runs. It is killed and
 * its directory deleted by `stop()`, or when this process exits or gets SIGINT or SIGTERM first.
 *
 * @throws {Error} when `redis-server` is missing or does not start.
 */
export async function startLoadCoreRedis(): Promise<LoadCoreRedis> {
  let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'))
  let node: RedisNode
  try {
    node = await RedisNode.start(await freePort(), directory, [], pinningLauncher(loadCore))
  } catch (error) {
    fs.rmSync(directory, { recursive: true, force: true })
    throw error
  }
  let withdraw = cleanUpOnExit(() => {
    void node.kill() // the SIGKILL itself is synchronous
    fs.rmSync(directory, { recursive: true, force: true })
  })
  return {
    url: `redis://127.0.0.1:${node.port}`,
    async stop() {
      await node.kill()
      fs.rmSync(directory, { recursive: true, force: true })
      withdraw()
    },
  }
}
