interface NativeSources {
  binding(name: 'natives'): Record<string, string>
}

/**
 * The name of the function that encloses line `lineNumber` (0-based) of a Node internal module
 * (`node:internal/crypto/util`), found in Node's embedded sources: it names the `(anonymous)`
 * callbacks a CPU profile shows there. `undefined` when the sources are not available (the
 * deprecated `process.binding('natives')` they come from may go away) or no function is found.
 */
export function enclosingInternalFunction(url: string, lineNumber: number): string | undefined {
  if (!url.startsWith('node:')) return undefined
  try {
    let sources = (process as unknown as NativeSources).binding('natives')
    let lines = sources[url.slice('node:'.length)]?.split('\n') ?? []
    for (let index = Math.min(lineNumber, lines.length - 1); index >= 0; index--) {
      let match = /^(?:async\s+)?function\*?\s+([\w$]+)/.exec(lines[index] ?? '')
      if (match) return match[1]
    }
  } catch {
    // No embedded sources in this Node: leave the name as the profile gives it.
  }
  return undefined
}
