const repositoryRoot = new URL('..', import.meta.url).href

/**
 * Where a script comes from, for grouping: `@x/session`, `@x/fetch-router`, a package name from
 * `node_modules`, `node:internal`, or the bench itself; `(native)` for V8's own entries.
 */
export function sourceOf(url: string): string {
  if (url === '') return '(V8 / native)'
  if (url.startsWith('node:')) return 'node: internals'
  let workspace = /\/packages\/(fetch-router|session)\//.exec(url)
  if (workspace) return `@x/${workspace[1]}`
  let packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)]
  let last = packages.at(-1)
  if (last) return last[1] as string
  if (url.includes('/bench/')) return 'bench (server script)'
  return url
}

/** A script URL made short: the part after the repository root or the last `node_modules/`. */
export function shortUrl(url: string): string {
  if (url === '') return ''
  let index = url.lastIndexOf('node_modules/')
  if (index >= 0) {
    let rest = url.slice(index + 'node_modules/'.length)
    return rest.replace(/^\.pnpm\/[^/]+\/node_modules\//, '')
  }
  return url.startsWith(repositoryRoot) ? url.slice(repositoryRoot.length) : url
}
