import { handle } from './app.ts'

const hostname = Deno.env.get('HOST') ?? '127.0.0.1'

Deno.serve(
  {
    port: Number(Deno.env.get('PORT') ?? 3000),
    hostname,
    onListen: ({ port }) =>
      console.log(`Listening on http://${hostname}:${port} (Deno ${Deno.version.deno})`),
  },
  // Deno passes connection info as a second argument: hand over the request only.
  (request) => handle(request),
)
