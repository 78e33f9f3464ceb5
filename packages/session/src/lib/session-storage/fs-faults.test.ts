import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFsSessionStorage } from './fs.ts'

// A real small disk: a 256 KiB tmpfs mounted for these tests (they run as root, like CI; root
// ignores permission bits, so a read-only *mount* is what makes writes fail here).
const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'x-session-disk-'))
const directory = path.join(mountPoint, 'sessions')

function mount(options: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'x-session-disk', mountPoint])
}

beforeAll(() => {
  try {
    mount('size=256k')
  } catch (error) {
    throw new Error('these tests mount a tmpfs and need root (as CI has)', { cause: error })
  }
})
afterAll(() => {
  execFileSync('umount', [mountPoint])
  fs.rmSync(mountPoint, { recursive: true, force: true })
})

/** Every file under the session directory, relative to it. */
function sessionFiles(): string[] {
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
}

/** Fills the disk with one file, to the last byte it takes; returns its path. */
function fillDisk(): string {
  let filler = path.join(mountPoint, 'filler')
  let descriptor = fs.openSync(filler, 'w')
  try {
    let chunk = Buffer.alloc(4096, 1)
    for (;;) fs.writeSync(descriptor, chunk)
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
  } finally {
    fs.closeSync(descriptor)
  }
  return filler
}

describe('createFsSessionStorage on a full or read-only disk', () => {
  it('rejects saves with ENOSPC on a full disk, keeps earlier sessions, leaves no temporary file, and recovers when space returns', async () => {
    let storage = createFsSessionStorage(directory)
    let saved = await storage.read(null)
    saved.set('user', 'ada')
    let id = (await storage.save(saved)) as string
    let filesBefore = sessionFiles()

    let filler = fillDisk()
    let update = await storage.read(id)
    update.set('cart', 'x'.repeat(64 * 1024))
    await expect(storage.save(update)).rejects.toThrow(/ENOSPC: no space left on device/)
    let newcomer = await storage.read(null)
    newcomer.set('user', 'grace')
    await expect(storage.save(newcomer)).rejects.toThrow(/ENOSPC/)

    let intact = await storage.read(id)
    expect(intact.id).toBe(id)
    expect(intact.data[0]).toEqual({ user: 'ada' })
    expect(sessionFiles()).toEqual(filesBefore)

    fs.rmSync(filler)
    let retry = await storage.read(id)
    retry.set('cart', 'x'.repeat(64 * 1024))
    expect(await storage.save(retry)).toBeNull()
    expect((await storage.read(id)).get('cart')).toHaveLength(64 * 1024)
  })

  it('rejects saves and deletes with EROFS on a read-only disk, and still reads every session', async () => {
    let storage = createFsSessionStorage(directory)
    let saved = await storage.read(null)
    saved.set('user', 'ada')
    let id = (await storage.save(saved)) as string

    mount('remount,ro')
    try {
      let reopened = createFsSessionStorage(directory)
      let session = await reopened.read(id)
      expect(session.get('user')).toBe('ada')
      session.set('cart', 1)
      await expect(reopened.save(session)).rejects.toThrow(/EROFS: read-only file system/)
      let doomed = await reopened.read(id)
      doomed.destroy()
      await expect(reopened.save(doomed)).rejects.toThrow(/EROFS/)
      let newcomer = await reopened.read(null)
      newcomer.set('user', 'grace')
      await expect(reopened.save(newcomer)).rejects.toThrow(/EROFS/)
      expect((await reopened.read(id)).data[0]).toEqual({ user: 'ada' })
    } finally {
      mount('remount,rw')
    }
    expect((await storage.read(id)).data[0]).toEqual({ user: 'ada' })
  })
})
