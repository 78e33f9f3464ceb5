import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const packagesDirectory = fileURLToPath(new URL('../packages/', import.meta.url))

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    let path = join(directory, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(path)
    return [path]
  })
}

/**
 * A short SHA-256 of every file under `packages/<name>/src`: taken at the start and the end of a
 * run, it tells whether the code measured changed while the suite ran (someone editing packages/).
 */
export function sourceFingerprint(): string {
  let hash = createHash('sha256')
  let sources = readdirSync(packagesDirectory).flatMap((name) => {
    try {
      return listFiles(join(packagesDirectory, name, 'src'))
    } catch {
      return []
    }
  })
  for (let file of sources.sort()) {
    hash.update(relative(packagesDirectory, file)).update('\u0000').update(readFileSync(file))
  }
  return hash.digest('hex').slice(0, 12)
}
