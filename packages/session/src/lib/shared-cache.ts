import type { HeaderEntries } from './response-copy.ts'

/**
 * The caching headers, lower case as `Headers` yields names, each with how messages name it; in
 * the order they are checked. First those by which a CDN decides what to store, overriding
 * `Cache-Control` for it: RFC 9213's `CDN-Cache-Control`, the vendor-targeted fields of Cloudflare
 * and Vercel (the same syntax), and `Surrogate-Control` (W3C Edge Architecture: Fastly, Varnish).
 */
const displayNames = new Map<string, string>(
  Object.entries({
    'cdn-cache-control': 'CDN-Cache-Control',
    'cloudflare-cdn-cache-control': 'Cloudflare-CDN-Cache-Control',
    'vercel-cdn-cache-control': 'Vercel-CDN-Cache-Control',
    'surrogate-control': 'Surrogate-Control',
    'cache-control': 'Cache-Control',
  }),
)

/**
 * The caching header that lets a shared cache (a CDN, a proxy) store the response, as
 * `Name: value`; `null` when none does. A header lets it unless it has an unqualified `private`
 * or a `no-store` directive (RFC 9111 §3): `max-age`, `no-cache`, `must-revalidate` and the like
 * all allow storing. A response without `Cache-Control` counts as not shared here: the caller
 * adds its own, private one. The CDN headers are looked at first, then `Cache-Control`.
 */
export function sharedCacheHeader(headers: HeaderEntries): string | null {
  // One pass over the headers: five `get`s cost several times as much, and most responses have
  // none of these headers.
  let caching: Map<string, string> | undefined
  for (let [name, value] of headers) {
    if (!displayNames.has(name)) continue
    caching ??= new Map()
    caching.set(name, value)
  }
  if (caching === undefined) return null
  for (let [name, displayName] of displayNames) {
    let value = caching.get(name)
    if (value !== undefined && value.trim() !== '' && !isPrivate(value)) {
      return `${displayName}: ${value}`
    }
  }
  return null
}

/**
 * Whether a `Cache-Control` value keeps shared caches from storing the response: it has `no-store`
 * or an unqualified `private`. A qualified `private="set-cookie"` does not count: it lets a shared
 * cache store the response without the fields named, and caches that do not implement the
 * qualified form may ignore it rather than read it as `private`.
 */
export function isPrivate(cacheControl: string): boolean {
  let names = directiveNames(cacheControl)
  return names.includes('private') || names.includes('no-store')
}

/**
 * The directive names of a `Cache-Control` value, lower-cased, with a trailing `=` for those that
 * have an argument (`max-age=60` gives `max-age=`). Commas inside quoted arguments do not split.
 */
function directiveNames(value: string): string[] {
  let names: string[] = []
  let start = 0
  let quoted = false
  for (let index = 0; index <= value.length; index++) {
    let char = value[index]
    if (quoted) {
      if (char === '\\') index++
      else if (char === '"') quoted = false
    } else if (char === '"') {
      quoted = true
    } else if (char === ',' || char === undefined) {
      let directive = value.slice(start, index)
      let equals = directive.indexOf('=')
      let name = equals === -1 ? directive : directive.slice(0, equals)
      names.push(`${name.trim().toLowerCase()}${equals === -1 ? '' : '='}`)
      start = index + 1
    }
  }
  return names
}
