/** A server a test starts for itself: `stop()` ends it, `remove()` deletes its data. */
export interface ThrowawayServer {
  stop(): Promise<void>
  remove(): void
}

/**
 * Runs `test` against a server of its own, started by `kind.start()` (`RedisServer`,
 * `PostgresServer`), then stops it and removes its data, whether the test passed or not.
 */
export async function withServer<Server extends ThrowawayServer>(
  kind: { start(): Promise<Server> },
  test: (server: Server) => Promise<void>,
): Promise<void> {
  let server = await kind.start()
  try {
    await test(server)
  } finally {
    await server.stop()
    server.remove()
  }
}
