import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The part of devalue the benchmarks call. */
export interface Devalue {
  stringify(value: unknown): string
  parse(text: string): unknown
}

// devalue is a dependency of @x/session, not of the bench: load the very copy the package uses.
const sessionRequire = createRequire(new URL('../packages/session/package.json', import.meta.url))
const entry = sessionRequire.resolve('devalue')

/** devalue, as `@x/session` resolves it. */
export const devalue = (await import(pathToFileURL(entry).href)) as Devalue

/** The version of that copy of devalue (its package.json is not exported, so it is found on disk). */
export const devalueVersion = findVersion(dirname(entry))

function findVersion(directory: string): string {
  for (let current = directory; current !== dirname(current); current = dirname(current)) {
    let manifest = join(current, 'package.json')
    if (!existsSync(manifest)) continue
    let { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string
      version?: string
    }
    if (name === 'devalue') return version ?? 'unknown'
  }
  return 'unknown'
}
