import { createServer, type Server as NetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { eachRuntimeOnce, startServer } from '@x/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const here = fileURLToPath(new URL('.', import.meta.url))

describe('starting the shop on a port that is taken', () => {
  let blocker: NetServer
  let port: number

  beforeAll(async () => {
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    port = (blocker.address() as { port: number }).port
  })

  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())))

  it.each(eachRuntimeOnce)(
    'exits 1 on $name with one line naming the port and PORT, no stack',
    async (runtime) => {
      let failure = await startServer(runtime, here, {
        PORT: String(port),
        SESSION_STORAGE: 'memory',
        SESSION_SECRET: 'a-test-secret-that-is-32-chars-long!',
      }).then(
        async (server) => {
          await server.stop()
          return null
        },
        (error: Error) => error.message,
      )
      expect(failure).toContain('exited with 1')
      expect(failure).toContain(`Port ${port} on 127.0.0.1 is already in use`)
      expect(failure).toContain('PORT=3001')
      expect(failure).not.toMatch(/^\s+at /m)
    },
  )
})
