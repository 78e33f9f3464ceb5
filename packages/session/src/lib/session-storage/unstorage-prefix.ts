/** A `prefix` as unstorage spells the keys it makes and lists, and where to list them. */
export interface UnstoragePrefix {
  /** The prefix with `/` and `\` as `:`, runs of `:` as one, and no leading `:`. */
  prefix: string
  /** The folder `getKeys` lists: `prefix` up to its last `:` (`''`: the whole store). */
  base: string
}

/**
 * Checks a `prefix` option and spells it as unstorage spells keys, so that the keys `getKeys`
 * lists can be matched against it. unstorage lists folders only (`getKeys('sess_')` lists
 * `sess_:`), so a prefix that does not end in `:` or `/` is listed from the folder it is in and
 * filtered.
 *
 * @throws {TypeError} when `prefix` is not a string, holds a `?` (unstorage cuts keys there: every
 * session would share one item) or a `.` or `..` folder (unstorage refuses every key under it).
 */
export function resolveUnstoragePrefix(prefix: unknown): UnstoragePrefix {
  if (typeof prefix !== 'string' || prefix.includes('?')) {
    throw new TypeError(
      `createUnstorageSessionStorage() takes a prefix with no "?" (unstorage cuts keys there), got ${String(prefix)}`,
    )
  }
  let normal = prefix.replace(/[/\\]/g, ':').replace(/:+/g, ':').replace(/^:/, '')
  let folders = normal.split(':').slice(0, -1)
  if (folders.some((folder) => folder === '.' || folder === '..')) {
    throw new TypeError(
      `createUnstorageSessionStorage() takes a prefix with no "." or ".." folder, got ${prefix}`,
    )
  }
  return { prefix: normal, base: normal.slice(0, normal.lastIndexOf(':') + 1) }
}
