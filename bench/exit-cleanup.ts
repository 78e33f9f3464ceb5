/**
 * Runs `cleanUp` (synchronous: kill processes, delete files) if this process exits, or gets
 * SIGINT or SIGTERM (then exits with 130 or 143), before the returned function is called; that
 * function withdraws it, for a caller that cleans up itself.
 */
export function cleanUpOnExit(cleanUp: () => void): () => void {
  // Exiting runs `cleanUp` (the 'exit' listener).
  let onSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143)
  process.once('exit', cleanUp)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return () => {
    process.off('exit', cleanUp)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
