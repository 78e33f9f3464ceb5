import { serve } from '@hono/node-server'
import { createShop } from './app.ts'
import { isPortTaken, portTakenMessage } from './listen-error.ts'
import { configFromEnv, createSessionCookie, createStorage } from './session-config.ts'

const config = configFromEnv(process.env)
const sessions = createStorage(config)
const shop = createShop(createSessionCookie(config), sessions)
const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOST ?? '127.0.0.1'

// The adapter passes its own bindings as a second argument, so hand the router the request only.
const server = serve({ fetch: (request) => shop.fetch(request), port, hostname }, (info) => {
  console.log(
    `Listening on http://${hostname}:${info.port} (Node ${process.version}, ${config.storage} sessions)`,
  )
})

server.once('error', (error) => {
  if (!isPortTaken(error)) throw error
  console.error(portTakenMessage(hostname, port))
  process.exit(1)
})

for (let signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () =>
    server.close(async () => {
      await sessions.close?.()
      process.exit(0)
    }),
  )
}
