import { createShop } from './app.ts'
import { isPortTaken, portTakenMessage } from './listen-error.ts'
import { configFromEnv, createSessionCookie, createStorage } from './session-config.ts'

const config = configFromEnv(process.env)
const shop = createShop(createSessionCookie(config), createStorage(config))

const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOST ?? '127.0.0.1'

function listen() {
  try {
    // Bun passes the server as a second argument, so hand the router the request only.
    return Bun.serve({ port, hostname, fetch: (request) => shop.fetch(request) })
  } catch (error) {
    if (!isPortTaken(error)) throw error
    console.error(portTakenMessage(hostname, port))
    process.exit(1)
  }
}
const server = listen()

console.log(
  `Listening on http://${server.hostname}:${server.port} (Bun ${Bun.version}, ${config.storage} sessions)`,
)
