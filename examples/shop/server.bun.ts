import { createShop } from './app.ts'
import { configFromEnv, createSessionCookie, createStorage } from './session-config.ts'

const config = configFromEnv(process.env)
const shop = createShop(createSessionCookie(config), createStorage(config))

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? '127.0.0.1',
  // Bun passes the server as a second argument, so hand the router the request only.
  fetch: (request) => shop.fetch(request),
})

console.log(
  `Listening on http://${server.hostname}:${server.port} (Bun ${Bun.version}, ${config.storage} sessions)`,
)
