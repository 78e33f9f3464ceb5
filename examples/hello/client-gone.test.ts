import { once } from 'node:events'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createRouter } from '@x/fetch-router'
import { expect, it } from 'vitest'

/** A promise and the function that settles it. */
function gate<Value = void>(): { promise: Promise<Value>; open: (value: Value) => void } {
  let open!: (value: Value) => void
  let promise = new Promise<Value>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

// @hono/node-server makes a request's signal only when it is first read (the router reads it when
// a step first answers with a promise): the client going away must still end the wait.
it('ends the wait for a stuck handler when the client goes away, on @hono/node-server', async () => {
  let handlerStarted = gate()
  let handlerWaits = gate()
  let abortSeen = gate<unknown>()
  let router = createRouter({
    middleware: [
      async (_context, next) => {
        try {
          return await next()
        } catch (error) {
          abortSeen.open(error)
          throw error
        }
      },
    ],
  })
  router.get('/stuck', async () => {
    handlerStarted.open()
    await handlerWaits.promise
    return new Response('too late')
  })
  let server = serve({
    fetch: (incoming) => router.fetch(incoming),
    port: 0,
    hostname: '127.0.0.1',
  })
  try {
    await once(server, 'listening')
    let { port } = server.address() as AddressInfo
    let client = request({ host: '127.0.0.1', port, path: '/stuck' })
    client.on('error', () => {})
    client.end()
    await handlerStarted.promise
    client.destroy()
    // The adapter's own reason (a string naming the socket's end): what `await next()` throws
    // once the request's signal aborts, instead of waiting for the handler.
    expect(await abortSeen.promise).toMatch(/aborted|prematurely closed/)
  } finally {
    handlerWaits.open()
    await new Promise((resolve) => server.close(resolve))
  }
})
