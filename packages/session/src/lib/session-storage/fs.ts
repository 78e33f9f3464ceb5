import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import {
  createSessionStorage,
  type ServerSessionStorage,
  type ServerStorageOptions,
} from '../server-storage.ts'
import type { SessionDataStore } from '../session-data-store.ts'
import { isSessionId } from '../session-id.ts'
import type { SessionSchema } from '../session-schema.ts'
import { resolveMaxSessions } from '../storage-rules.ts'
import { FileBudget, usersFolder } from './fs-budget.ts'

/** Options for {@link createFsSessionStorage}. */
export interface FsSessionStorageOptions<Schema extends SessionSchema = SessionSchema>
  extends ServerStorageOptions<Schema> {
  /**
   * The most session files kept; past it the least recently written one is deleted, so a flood of
   * new sessions cannot fill the disk. Disk use is about `maxSessions` times the size of a session
   * file (at least one disk block, usually 4 KiB: about 400 MiB at the default), plus the user
   * indexes of `userKey`, which do not count and are deleted once every session they list has
   * expired. Counted by this process, from the files found on its first write. Default `100_000`.
   */
  maxSessions?: number
}

/** A file-backed session storage, with a way to delete expired sessions. */
export type FsSessionStorage<Schema extends SessionSchema = SessionSchema> =
  ServerSessionStorage<Schema> & {
    /**
     * Deletes the files of expired sessions and resolves to how many it deleted. Run it now and
     * then (a timer, a cron job): reads already ignore expired sessions, this frees the disk.
     */
    prune(): Promise<number>
  }

/**
 * Keeps each session in a file under `directory` (created if missing), named by a SHA-256 hash of
 * its id. Writes go to a temporary file renamed into place, so a crash mid-write leaves the
 * previous session readable. Files are created readable by their owner only (`0600`), folders
 * `0700`. A file's modification time is set to when it expires, for `prune()`; expired files are
 * also deleted a few at a time as sessions are written, and past `maxSessions` the least recently
 * written session file. Disk errors (permissions, a full disk) are thrown, never taken for a
 * missing session. Saves are merged and locked per session within this process; give each process
 * its own directory, or use Redis when several processes share sessions.
 *
 * @throws {Error} when `directory` exists and is not a directory.
 * @throws {TypeError} when `maxSessions` is not a positive integer, or for invalid expiry options.
 */
export function createFsSessionStorage<Schema extends SessionSchema = SessionSchema>(
  directory: string,
  options: FsSessionStorageOptions<Schema> = {},
): FsSessionStorage<Schema> {
  let maxSessions = resolveMaxSessions(options.maxSessions, 100_000)
  let root = path.resolve(directory)
  fs.mkdirSync(root, { recursive: true, mode: 0o700 })
  let stats = fs.statSync(root)
  if (!stats.isDirectory()) throw new Error(`Session directory "${root}" is not a directory`)
  refuseWritable(root, stats.mode)
  warnIfOpen(root, stats.mode)
  let budget = new FileBudget(root, maxSessions)
  let users = path.join(root, usersFolder)
  // Session folders found to be real folders of this process's user: the root is writable by
  // that user alone, so no one else can swap them afterwards.
  let checked = new Set<string>()

  /** Refuses the session folder of `file` when it is not a real folder of this user. */
  async function checkBucket(file: string): Promise<void> {
    let bucket = path.dirname(file)
    if (checked.has(bucket)) return
    if (await checkFolder(path.join(root, bucket), 'session')) checked.add(bucket)
  }

  /** The file of `id`, relative to the root: sessions in 256 buckets, user indexes apart. */
  async function fileOf(id: string, legacy = false): Promise<string> {
    let digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)))
    let hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
    if (isSessionId(id) || legacy) return path.join(hex.slice(0, 2), hex.slice(2))
    return path.join(usersFolder, hex)
  }

  async function readFile(file: string): Promise<string | null> {
    await checkBucket(file)
    try {
      return await fsp.readFile(path.join(root, file), 'utf8')
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  async function remove(file: string): Promise<void> {
    await fsp.rm(path.join(root, file), { force: true })
    budget.deleted(file)
  }

  async function write(id: string, data: string, expires: Date): Promise<void> {
    let file = await fileOf(id)
    let target = path.join(root, file)
    await makeFolder(path.dirname(target))
    if (isSessionId(id)) await checkBucket(file)
    else await checkFolder(users, 'user index')
    let temporary = `${target}.${crypto.randomUUID()}.tmp`
    try {
      await fsp.writeFile(temporary, data, { encoding: 'utf8', flag: 'wx', mode: 0o600 })
      await fsp.utimes(temporary, expires, expires)
      await fsp.rename(temporary, target)
    } catch (error) {
      await fsp.rm(temporary, { force: true })
      throw error
    }
    let session = isSessionId(id)
    // An index written by an older version, in a session bucket: it moves to the users folder.
    if (!session) await remove(await fileOf(id, true))
    await budget.wrote(file, expires.getTime(), session)
  }

  let store: SessionDataStore = {
    async readData(id) {
      if (!isSessionId(id)) await checkFolder(users, 'user index')
      let text = await readFile(await fileOf(id))
      if (text !== null || isSessionId(id)) return text
      return readFile(await fileOf(id, true))
    },
    createData: write,
    updateData: write,
    async deleteData(id) {
      await remove(await fileOf(id))
      if (!isSessionId(id)) await remove(await fileOf(id, true))
    },
  }

  let prune = () => pruneDirectory(root, budget)
  return Object.assign(createSessionStorage(store, options), { prune })
}

/** Deletes expired files and leftover temporary ones under `root`; resolves to how many. */
async function pruneDirectory(root: string, budget: FileBudget): Promise<number> {
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
        budget.deleted(path.relative(root, file))
        removed++
      }
    }
  }
  return removed
}

const warned = new Set<string>()

/**
 * Refuses a session directory other users may write to (even with the sticky bit, as `/tmp`):
 * they could plant session folders or files, or swap a folder for a link to their own, and have
 * their forged sessions read as real ones.
 *
 * @throws {Error} naming the directory and its mode.
 */
function refuseWritable(root: string, mode: number): void {
  if ((mode & 0o022) === 0) return
  throw new Error(
    `Session directory "${root}" has mode ${(mode & 0o7777).toString(8)}: other users can write to it and forge sessions. Give a directory of the app's own, made 0700 (chmod 700).`,
  )
}

/**
 * Warns once per directory (with `console.warn`) when the session directory was already there
 * and other users may list or enter it (they cannot write to it: that is refused): the files are
 * `0600`, but their names and number show. The directory is left as it is.
 */
function warnIfOpen(root: string, mode: number): void {
  if ((mode & 0o077) === 0 || warned.has(root)) return
  warned.add(root)
  console.warn(
    `@x/session: the session directory "${root}" has mode ${(mode & 0o777).toString(8)}; other users can list it. Make it 0700 (chmod 700).`,
  )
}

/**
 * Refuses a session or users folder that is not a real directory of this process's user (a
 * symbolic link planted to point sessions or user indexes elsewhere, or a folder someone else
 * made). A missing one is fine: it is made on the first write. Resolves to whether it exists.
 *
 * @throws {Error} when it is a symbolic link, anything else but a directory, or owned by another
 * user.
 */
async function checkFolder(folder: string, kind: string): Promise<boolean> {
  let stats = await fsp
    .lstat(folder)
    .catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)))
  if (stats === null) return false
  if (!stats.isDirectory()) {
    throw new Error(`The ${kind} folder "${folder}" is not a directory (a symbolic link?)`)
  }
  let uid = typeof process.getuid === 'function' ? process.getuid() : undefined
  if (uid !== undefined && stats.uid !== uid) {
    throw new Error(`The ${kind} folder "${folder}" belongs to another user (uid ${stats.uid})`)
  }
  return true
}

/**
 * Creates a session's folder (`0700`) unless it exists. Not `recursive`: Node then reports a
 * read-only disk as ENOENT; a plain mkdir gives the real cause (EROFS, EACCES, ENOSPC).
 */
async function makeFolder(folder: string): Promise<void> {
  try {
    await fsp.mkdir(folder, { mode: 0o700 })
  } catch (error) {
    let code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code === 'EEXIST') return
    // The session directory itself was removed while the app ran: make it again.
    if (code === 'ENOENT') await fsp.mkdir(folder, { recursive: true, mode: 0o700 })
    else throw error
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
