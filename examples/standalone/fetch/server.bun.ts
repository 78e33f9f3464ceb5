import { handle } from './app.ts'

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? '127.0.0.1',
  // Bun passes the server as a second argument: hand over the request only.
  fetch: (request) => handle(request),
})

console.log(`Listening on http://${server.hostname}:${server.port} (Bun ${Bun.version})`)
