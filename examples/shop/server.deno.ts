import { createShop } from './app.ts'
import { isPortTaken, portTakenMessage } from './listen-error.ts'
import { configFromEnv, createSessionCookie, createStorage } from './session-config.ts'

const config = configFromEnv(Deno.env.toObject())
const shop = createShop(createSessionCookie(config), createStorage(config))
const hostname = Deno.env.get('HOST') ?? '127.0.0.1'
const port = Number(Deno.env.get('PORT') ?? 3000)

try {
  Deno.serve(
    {
      port,
      hostname,
      onListen: (address) =>
        console.log(
          `Listening on http://${hostname}:${address.port} (Deno ${Deno.version.deno}, ${config.storage} sessions)`,
        ),
    },
    // Deno passes connection info as a second argument, so hand the router the request only.
    (request) => shop.fetch(request),
  )
} catch (error) {
  if (!isPortTaken(error)) throw error
  console.error(portTakenMessage(hostname, port))
  Deno.exit(1)
}
