import * as fsp from 'node:fs/promises'
import * as path from 'node:path'

/** How many of the least recently written files each write checks for expiry. */
const sweepPerWrite = 4

/**
 * Keeps the file storage within bounds: which files exist and when each expires, in this
 * process's memory (seeded from the directory on the first write). Session files are kept in the
 * order they were last written; past `maxSessions` the least recently written is deleted. Other
 * files (user indexes) do not count and are only deleted once expired. Each write also checks a
 * few of the least recently written files and deletes the expired ones, so expired sessions do
 * not wait for `prune()`.
 */
export class FileBudget {
  #root: string
  #maxSessions: number
  #sessions = new Map<string, number>()
  #others = new Map<string, number>()
  #seeded: Promise<void> | undefined

  /** @param maxSessions The most session files kept (a positive integer). */
  constructor(root: string, maxSessions: number) {
    this.#root = root
    this.#maxSessions = maxSessions
  }

  /**
   * Records that `file` (relative to the root) was written and expires at `expires` (ms since the
   * epoch), then deletes expired files among the least recently written and, past `maxSessions`,
   * the least recently written session files.
   *
   * @throws {Error} for a disk error while scanning the directory or deleting a file.
   */
  async wrote(file: string, expires: number, counted: boolean): Promise<void> {
    await this.#seed()
    let files = counted ? this.#sessions : this.#others
    files.delete(file)
    files.set(file, expires)
    await this.#sweep(files, Date.now())
    while (this.#sessions.size > this.#maxSessions) {
      let oldest = this.#sessions.keys().next().value as string
      this.#sessions.delete(oldest)
      await fsp.rm(path.join(this.#root, oldest), { force: true })
    }
  }

  /** Records that `file` (relative to the root) was deleted. */
  deleted(file: string): void {
    this.#sessions.delete(file)
    this.#others.delete(file)
  }

  async #sweep(files: Map<string, number>, now: number): Promise<void> {
    let expired: string[] = []
    let checked = 0
    for (let [file, expires] of files) {
      if (++checked > sweepPerWrite) break
      if (expires <= now) expired.push(file)
    }
    for (let file of expired) {
      files.delete(file)
      await fsp.rm(path.join(this.#root, file), { force: true })
    }
  }

  #seed(): Promise<void> {
    this.#seeded ??= this.#scan().catch((error: unknown) => {
      this.#seeded = undefined
      throw error
    })
    return this.#seeded
  }

  /** Lists the files already in the directory, the soonest to expire first. */
  async #scan(): Promise<void> {
    let found: [file: string, expires: number, counted: boolean][] = []
    let buckets = await fsp.readdir(this.#root, { withFileTypes: true }).catch(missingAsEmpty)
    for (let bucket of buckets) {
      if (!bucket.isDirectory()) continue
      let counted = bucket.name !== usersFolder
      for (let name of await fsp
        .readdir(path.join(this.#root, bucket.name))
        .catch(missingAsEmpty)) {
        if (name.endsWith('.tmp')) continue
        let file = path.join(bucket.name, name)
        let stats = await fsp.stat(path.join(this.#root, file)).catch(missingAsNull)
        if (stats?.isFile()) found.push([file, stats.mtimeMs, counted])
      }
    }
    found.sort((a, b) => a[1] - b[1])
    for (let [file, expires, counted] of found) {
      ;(counted ? this.#sessions : this.#others).set(file, expires)
    }
  }
}

/** The folder, under the root, of the files that are not sessions (user indexes). */
export const usersFolder = 'users'

function missingAsEmpty(error: unknown): never[] {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return []
  throw error
}

function missingAsNull(error: unknown): null {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null
  throw error
}
