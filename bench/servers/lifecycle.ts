/** The port to listen on, from the `PORT` environment variable (`0`, any free port, by default). */
export const port = Number(process.env.PORT ?? 0)

/**
 * Tells the parent process the server is ready: it waits for this exact line on stdout.
 */
export function announce(listeningPort: number): void {
  console.log(`listening on ${listeningPort}`)
}

/**
 * Runs `close` (closing storage connections) on SIGTERM or SIGINT, then exits: `process.exit`
 * lets `--cpu-prof` write its profile, which a kill by signal would not.
 */
export function onShutdown(close: () => unknown = () => {}): void {
  let stop = async () => {
    try {
      await close()
    } finally {
      process.exit(0)
    }
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
