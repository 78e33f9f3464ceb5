/**
 * Whether starting a server failed because its port is taken, on Node (`EADDRINUSE`), Bun (the
 * same code) or Deno (`Deno.errors.AddrInUse`).
 */
export function isPortTaken(error: unknown): boolean {
  let { code, name } = (error ?? {}) as { code?: unknown; name?: unknown }
  return code === 'EADDRINUSE' || name === 'AddrInUse'
}

/** The one line `pnpm start` prints, instead of a stack trace, when its port is taken. */
export function portTakenMessage(hostname: string, port: number | string): string {
  return `Port ${port} on ${hostname} is already in use by another program: stop it, or choose another port with PORT (PORT=3001 pnpm start).`
}
