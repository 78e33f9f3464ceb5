/** Something that emits events, as ioredis and node-redis clients do. */
export interface EventSource {
  once(event: string, listener: () => void): unknown
  removeListener(event: string, listener: () => void): unknown
}

/**
 * A function resolving when `source` next emits one of `events` (the end of a connection attempt,
 * in success or failure): every caller until then shares one promise and one set of listeners.
 */
export function nextEventOf(source: EventSource, events: readonly string[]): () => Promise<void> {
  let next: Promise<void> | undefined
  return () => {
    next ??= new Promise<void>((resolve) => {
      let ended = () => {
        for (let event of events) source.removeListener(event, ended)
        next = undefined
        resolve()
      }
      for (let event of events) source.once(event, ended)
    })
    return next
  }
}
