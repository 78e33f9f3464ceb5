import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
  type SessionDataStore,
} from '../server-storage.ts'
import type { KeySchemas } from '../session-schema.ts'

/** Options for {@link createFsSessionStorage}. */
export interface FsSessionStorageOptions<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> extends ServerStorageOptions<Values, Flash> {}

/** A file-backed session storage, with a way to delete expired sessions. */
export type FsSessionStorage<Values, Flash> = ServerSessionStorage<Values, Flash> & {
  /**
   * Deletes the files of expired sessions and resolves to how many it deleted. Run it now and then
   * (a timer, a cron job): reads already ignore expired sessions, this frees the disk.
   */
  prune(): Promise<number>
}

/**
 * Keeps each session in a file under `directory` (created if missing), named by a SHA-256 hash of
 * its id. Writes go to a temporary file renamed into place, so a crash mid-write leaves the
 * previous session readable. A file's modification time is set to when it expires, for `prune()`.
 * Disk errors (permissions, a full disk) are thrown, never taken for a missing session. Saves are
 * merged and locked per session within this process; give each process its own directory, or use
 * Redis when several processes share sessions.
 *
 * @throws {Error} when `directory` exists and is not a directory.
 */
export function createFsSessionStorage<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
>(
  directory: string,
  options: FsSessionStorageOptions<Values, Flash> = {},
): FsSessionStorage<Values, Flash> {
  let root = path.resolve(directory)
  fs.mkdirSync(root, { recursive: true })
  if (!fs.statSync(root).isDirectory())
    throw new Error(`Session directory "${root}" is not a directory`)

  async function fileOf(id: string): Promise<string> {
    let digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)))
    let hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
    return path.join(root, hex.slice(0, 2), hex.slice(2))
  }

  async function write(id: string, data: string, expires: Date): Promise<void> {
    let file = await fileOf(id)
    await makeFolder(path.dirname(file))
    let temporary = `${file}.${crypto.randomUUID()}.tmp`
    try {
      await fsp.writeFile(temporary, data, { encoding: 'utf8', flag: 'wx' })
      await fsp.utimes(temporary, expires, expires)
      await fsp.rename(temporary, file)
    } catch (error) {
      await fsp.rm(temporary, { force: true })
      throw error
    }
  }

  let store: SessionDataStore = {
    async readData(id) {
      try {
        return await fsp.readFile(await fileOf(id), 'utf8')
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    createData: write,
    updateData: write,
    async deleteData(id) {
      await fsp.rm(await fileOf(id), { force: true })
    },
  }

  async function prune(): Promise<number> {
    let now = Date.now()
    let removed = 0
    for (let bucket of await fsp.readdir(root, { withFileTypes: true })) {
      if (!bucket.isDirectory()) continue
      let folder = path.join(root, bucket.name)
      for (let name of await fsp.readdir(folder)) {
        let file = path.join(folder, name)
        let stats = await fsp
          .stat(file)
          .catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)))
        // A .tmp file older than an hour is left over from a process that died mid-write.
        let expired = name.endsWith('.tmp')
          ? stats !== null && stats.ctimeMs < now - 3_600_000
          : stats !== null && stats.mtimeMs <= now
        if (expired) {
          await fsp.rm(file, { force: true })
          removed++
        }
      }
    }
    return removed
  }

  return Object.assign(createSessionStorage(store, options), { prune })
}

/**
 * Creates a session's folder unless it exists. Not `recursive`: Node then reports a read-only disk
 * as ENOENT; a plain mkdir gives the real cause (EROFS, EACCES, ENOSPC).
 */
async function makeFolder(folder: string): Promise<void> {
  try {
    await fsp.mkdir(folder)
  } catch (error) {
    let code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code === 'EEXIST') return
    // The session directory itself was removed while the app ran: make it again.
    if (code === 'ENOENT') await fsp.mkdir(folder, { recursive: true })
    else throw error
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
