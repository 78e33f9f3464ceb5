import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runtimes, startServer } from './runtimes.ts'
import { processesOfRun, testRunVariable } from './test-processes.ts'

const hello = fileURLToPath(new URL('../../examples/hello/', import.meta.url))

describe('startServer', () => {
  it.each(runtimes)(
    'stops the $name server and leaves none of its processes running',
    async (runtime) => {
      let mark = `stop-${runtime.entry}-${process.pid}-${Date.now()}`
      let server = await startServer(runtime, hello, { [testRunVariable]: mark })
      expect(processesOfRun(mark).map(({ pid }) => pid)).toContain(server.pid)
      expect((await fetch(`${server.base}/health`)).status).toBe(200)
      await server.stop()
      expect(processesOfRun(mark)).toEqual([])
    },
    60_000,
  )
})
