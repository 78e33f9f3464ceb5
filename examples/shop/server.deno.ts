import { createShop } from './app.ts'
import { configFromEnv, createSessionCookie, createStorage } from './session-config.ts'

const config = configFromEnv(Deno.env.toObject())
const shop = createShop(createSessionCookie(config), createStorage(config))
const hostname = Deno.env.get('HOST') ?? '127.0.0.1'

Deno.serve(
  {
    port: Number(Deno.env.get('PORT') ?? 3000),
    hostname,
    onListen: ({ port }) =>
      console.log(
        `Listening on http://${hostname}:${port} (Deno ${Deno.version.deno}, ${config.storage} sessions)`,
      ),
  },
  // Deno passes connection info as a second argument, so hand the router the request only.
  (request) => shop.fetch(request),
)
