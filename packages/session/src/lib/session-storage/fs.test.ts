import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { describeSessionStorage, secret } from '../../test/storage-conformance.ts'
import { createCookie } from '../cookie.ts'
import { createFsSessionStorage } from './fs.ts'

const cookie = createCookie('session', { secrets: [secret] })
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'x-session-fs-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describeSessionStorage(
  'createFsSessionStorage',
  (options) => createFsSessionStorage(path.join(root, 'suite'), options),
  {
    serverSide: true,
    reopens: true,
  },
)

/** Every file under a directory, relative to it. */
function filesIn(directory: string): string[] {
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
}

async function savedSession(directory: string) {
  let storage = createFsSessionStorage(directory)
  let session = await storage.read(null)
  session.set('user', 'ada')
  let id = (await storage.save(session)) as string
  let [file] = filesIn(directory)
  return { storage, id, file: path.join(directory, file as string) }
}

describe('createFsSessionStorage', () => {
  it('writes one file per session, named by a hash of the id, and no temporary file remains', async () => {
    let directory = path.join(root, 'layout')
    let { id, file } = await savedSession(directory)
    expect(filesIn(directory)).toHaveLength(1)
    expect(file).not.toContain(id)
    expect(path.relative(directory, file)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{62}$/)
  })

  it('treats a corrupt file as a fresh session', async () => {
    let { storage, id, file } = await savedSession(path.join(root, 'corrupt'))
    fs.writeFileSync(file, '{ this is not devalue')
    let session = await storage.read(id)
    expect(session.size).toBe(0)
    expect(session.id).not.toBe(id)
  })

  it('throws real I/O errors instead of starting a fresh session, and keeps the session intact', async () => {
    let { storage, id, file } = await savedSession(path.join(root, 'io-error'))
    let contents = fs.readFileSync(file, 'utf8')
    fs.rmSync(file)
    fs.mkdirSync(file)
    await expect(storage.read(id)).rejects.toThrow(/EISDIR/)
    fs.rmSync(file, { recursive: true })
    fs.writeFileSync(file, contents)

    let session = await storage.read(id)
    session.set('cart', 1)
    let bucket = path.dirname(file)
    fs.rmSync(bucket, { recursive: true })
    fs.writeFileSync(bucket, 'a file where the directory should be')
    await expect(storage.save(session)).rejects.toThrow(/EEXIST|ENOTDIR/)
    fs.rmSync(bucket)
    fs.mkdirSync(bucket)
    fs.writeFileSync(file, contents)
    let after = await storage.read(id)
    expect(after.data[0]).toEqual({ user: 'ada' })
  })

  it('makes the session directory again when it is removed while the app runs', async () => {
    let directory = path.join(root, 'removed')
    let { storage } = await savedSession(directory)
    fs.rmSync(directory, { recursive: true })
    let session = await storage.read(null)
    session.set('user', 'grace')
    let id = (await storage.save(session)) as string
    expect((await storage.read(id)).get('user')).toBe('grace')
  })

  it('leaves the previous session readable when the writing process is killed mid-write', async () => {
    let directory = path.join(root, 'crash')
    let { storage, id } = await savedSession(directory)
    let writer = fileURLToPath(new URL('../../test/fs-writer.ts', import.meta.url))
    for (let attempt = 0; attempt < 5; attempt++) {
      let child = spawn(process.execPath, ['--import', 'tsx', writer, directory, id], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      })
      let errors = ''
      child.stderr.on('data', (chunk: Buffer) => {
        errors += chunk
      })
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve())
        child.once('exit', () => reject(new Error(`the writer exited: ${errors}`)))
      })
      // Let it write a while, then kill it without warning, wherever it is.
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 37))
      let exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      let session = await storage.read(id)
      expect(session.id).toBe(id)
      expect(session.get('user')).toBe('ada')
      expect(session.get('round')).toBeGreaterThan(0)
    }
  }, 60_000)
})

describe('createFsSessionStorage disk bounds', () => {
  it('prune() deletes the files of expired sessions only', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let directory = path.join(root, 'prune')
      let lasting = createFsSessionStorage(directory, { idleTimeout: 3600 })
      let brief = createFsSessionStorage(directory, { idleTimeout: 60 })
      let kept = await lasting.read(null)
      kept.set('n', 1)
      let keptId = (await lasting.save(kept)) as string
      let old = await brief.read(null)
      old.set('n', 2)
      let oldId = (await brief.save(old)) as string
      vi.advanceTimersByTime(120_000)
      expect(await brief.prune()).toBe(1)
      expect(filesIn(directory)).toHaveLength(1)
      expect((await lasting.read(keptId)).get('n')).toBe(1)
      expect((await brief.read(oldId)).size).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps at most maxSessions session files, deleting the least recently written', async () => {
    let directory = path.join(root, 'bounded')
    let storage = createFsSessionStorage(directory, { maxSessions: 3 })
    let ids: string[] = []
    for (let cart = 0; cart < 10; cart++) {
      let session = await storage.read(null)
      session.set('cart', cart)
      ids.push((await storage.save(session)) as string)
    }
    expect(filesIn(directory)).toHaveLength(3)
    let carts = await Promise.all(ids.map(async (id) => (await storage.read(id)).get('cart')))
    expect(carts).toEqual([...Array(7).fill(undefined), 7, 8, 9])
  })

  it('counts the files already in the directory against maxSessions', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let directory = path.join(root, 'bounded-reopened')
      let before = createFsSessionStorage(directory)
      let ids: string[] = []
      for (let cart = 0; cart < 3; cart++) {
        let session = await before.read(null)
        session.set('cart', cart)
        ids.push((await before.save(session)) as string)
        vi.advanceTimersByTime(1000)
      }
      let after = createFsSessionStorage(directory, { maxSessions: 3 })
      let session = await after.read(null)
      session.set('cart', 3)
      ids.push((await after.save(session)) as string)
      expect(filesIn(directory)).toHaveLength(3)
      let carts = await Promise.all(ids.map(async (id) => (await after.read(id)).get('cart')))
      expect(carts).toEqual([undefined, 1, 2, 3])
    } finally {
      vi.useRealTimers()
    }
  })

  it('deletes expired session files as new ones are written, without prune()', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      let directory = path.join(root, 'swept')
      let storage = createFsSessionStorage(directory, { idleTimeout: 60 })
      for (let cart = 0; cart < 3; cart++) {
        let session = await storage.read(null)
        session.set('cart', cart)
        await storage.save(session)
      }
      vi.advanceTimersByTime(120_000)
      let session = await storage.read(null)
      session.set('cart', 3)
      let id = (await storage.save(session)) as string
      expect(filesIn(directory)).toHaveLength(1)
      expect((await storage.read(id)).get('cart')).toBe(3)
    } finally {
      vi.useRealTimers()
    }
  })

  it('never deletes a user index for room: destroyUserSessions still ends a session in use', async () => {
    let directory = path.join(root, 'bounded-users')
    let storage = createFsSessionStorage(directory, { maxSessions: 2, userKey: 'userId' })
    let user = new Browser(storage, cookie)
    await user.request((session) => session.set('userId', 'ada'))
    for (let cart = 0; cart < 5; cart++) {
      await new Browser(storage, cookie).request((session) => session.set('cart', cart))
      await user.request((session) => session.set('seen', cart))
    }
    expect(filesIn(directory)).toHaveLength(3) // two sessions and the index
    expect(await storage.destroyUserSessions('ada')).toBe(1)
    await user.request((session) => expect(session.get('userId')).toBeUndefined())
  })
})

describe('createFsSessionStorage permissions and refusals', () => {
  it('creates folders readable by the owner only (0700) and session and index files 0600', async () => {
    let directory = path.join(root, 'modes', 'sessions')
    let storage = createFsSessionStorage(directory, { userKey: 'userId' })
    let session = await storage.read(null)
    session.set('userId', 'ada')
    await storage.save(session)
    let files = filesIn(directory)
    expect(files).toHaveLength(2)
    let folders = [directory, ...files.map((file) => path.dirname(path.join(directory, file)))]
    for (let folder of folders) expect(fs.statSync(folder).mode & 0o777).toBe(0o700)
    for (let file of files) expect(fs.statSync(path.join(directory, file)).mode & 0o777).toBe(0o600)
  })

  it('warns once when the directory it is given lets other users list it, and leaves its mode', () => {
    let directory = path.join(root, 'open')
    fs.mkdirSync(directory, { mode: 0o755 })
    fs.chmodSync(directory, 0o755)
    let warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      createFsSessionStorage(directory)
      createFsSessionStorage(directory)
      createFsSessionStorage(path.join(root, 'closed'))
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]?.[0])).toContain(`"${directory}" has mode 755`)
      expect(fs.statSync(directory).mode & 0o777).toBe(0o755)
    } finally {
      warn.mockRestore()
    }
  })

  it('refuses to read or write user indexes through a users folder that is a symbolic link', async () => {
    let directory = path.join(root, 'linked-users')
    let elsewhere = path.join(root, 'elsewhere')
    fs.mkdirSync(elsewhere)
    let storage = createFsSessionStorage(directory, { userKey: 'userId' })
    fs.mkdirSync(directory, { recursive: true })
    fs.symlinkSync(elsewhere, path.join(directory, 'users'))
    let session = await storage.read(null)
    session.set('userId', 'ada')
    await expect(storage.save(session)).rejects.toThrow(/is not a directory \(a symbolic link\?\)/)
    await expect(storage.destroyUserSessions('ada')).rejects.toThrow(/symbolic link/)
    expect(fs.readdirSync(elsewhere)).toEqual([])
  })

  it('refuses a directory other users can write to, even with the sticky bit', () => {
    let directory = path.join(root, 'shared-tmp')
    fs.mkdirSync(directory)
    fs.chmodSync(directory, 0o1777)
    expect(() => createFsSessionStorage(directory)).toThrow(
      /has mode 1777: other users can write to it/,
    )
    fs.chmodSync(directory, 0o770)
    expect(() => createFsSessionStorage(directory)).toThrow(/has mode 770/)
  })

  it('refuses to read a session through a session folder swapped for a symbolic link', async () => {
    let directory = path.join(root, 'linked-bucket')
    let { id, file } = await savedSession(directory)
    // Someone else's folder holding a forged record under the same name.
    let bucket = path.dirname(file)
    let forged = path.join(root, 'forged-bucket')
    fs.renameSync(bucket, forged)
    fs.symlinkSync(forged, bucket)
    let storage = createFsSessionStorage(directory)
    await expect(storage.read(id)).rejects.toThrow(/is not a directory \(a symbolic link\?\)/)
    expect(fs.readdirSync(forged)).toHaveLength(1)
  })

  it('refuses a maxSessions that is not a positive integer', () => {
    expect(() => createFsSessionStorage(path.join(root, 'refused'), { maxSessions: 0 })).toThrow(
      TypeError,
    )
  })

  it('refuses a path that is a file', () => {
    let file = path.join(root, 'not-a-directory')
    fs.writeFileSync(file, '')
    expect(() => createFsSessionStorage(file)).toThrow()
  })
})
