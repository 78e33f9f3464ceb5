import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { eachRuntimeOnce } from '@x/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDenoKvSessionStorage, type DenoKv } from '../../deno-kv-storage.ts'

const packageDirectory = fileURLToPath(new URL('../../..', import.meta.url))
const script = fileURLToPath(new URL('../../test/deno-kv-checks.ts', import.meta.url))
const deno = eachRuntimeOnce.find((runtime) => runtime.entry === 'deno')?.command as string

/** Runs the checks script under Deno on a KV file in `directory`; resolves to what it printed. */
function runChecks(directory: string): Promise<Record<string, unknown>> {
  let permissions = [`--allow-read=${directory},${packageDirectory}`, `--allow-write=${directory}`]
  let child = spawn(deno, ['run', '--unstable-kv', ...permissions, script, directory], {
    cwd: packageDirectory,
    detached: true,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  child.stderr.on('data', (chunk) => (out += chunk))
  let exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return exited
    .then((code) => {
      if (code !== 0) throw new Error(`deno exited with ${code}:\n${out}`)
      return JSON.parse(out) as Record<string, unknown>
    })
    .finally(() => {
      // The whole process group, should anything Deno started outlive it.
      try {
        process.kill(-(child.pid as number))
      } catch {}
    })
}

describe('createDenoKvSessionStorage under Deno, on a real KV file opened by two handles', () => {
  let directory = ''
  let results: Record<string, unknown> = {}

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'deno-kv-'))
    results = await runChecks(directory)
  }, 60_000)

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('reads through one handle a session saved through the other', () => {
    expect(results.roundTrip).toBe(3)
  })

  it('merges a save whose versionstamp check failed, so both keys persist', () => {
    // A wrote between B's read and B's write: B's check failed once, B merged again.
    expect(results.interleaved).toEqual({ fromA: 1, fromB: 2, conflicts: 1 })
  })

  it('keeps every key of twenty concurrent saves from both handles', () => {
    expect(results.parallel).toEqual(Array.from({ length: 20 }, (_, n) => n))
  })

  it('writes with expireIn, and past the idle timeout reads a new session and deletes the entry', () => {
    expect(results.expiry).toEqual({
      expireInAtMostIdle: true,
      cartAfterIdle: null,
      entryAfterRead: null,
    })
  })

  it('answers an id replaced by regenerateId(true) with an empty session that saves nothing', () => {
    expect(results.regenerate).toEqual({
      changed: true,
      staleCart: null,
      staleSave: null,
      newCart: 5,
      newUser: 'ada',
    })
  })

  it('ends with destroyUserSessions the sessions of a user saved through both handles', () => {
    expect(results.destroyUser).toEqual({ ended: 3, users: [null, null, null] })
  })

  it("lists a user's sessions saved through both handles and ends one by its handle", () => {
    expect(results.listUser).toEqual({
      devices: ['laptop', 'phone'],
      ended: true,
      left: ['laptop'],
    })
  })

  it('keeps a login another process made while a logout emptied the user index', () => {
    // B's checked deletes of the record (renewed by A) and of the index (A's login) failed once
    // each; B ran its logout again, so A's new session is still listed and ended.
    expect(results.logoutRace).toEqual({ conflicts: 2, loggedOut: null, ended: 1 })
  })

  it('checks a write against the versionstamp its own save read, whatever was read since', () => {
    // Over 10,000 reads and a read of A's newer version came between B's read and B's write.
    expect(results.staleStamp).toEqual({ fromA: 1, userId: 'max' })
  })

  it('rejects a session over 64 KiB with a SessionTooLargeError naming the limit', () => {
    expect(results.tooLarge).toEqual({
      name: 'SessionTooLargeError',
      isSessionTooLarge: true,
      limit: 65_536,
      namesLimit: true,
      suggestsCap: false,
    })
  })

  it('rejects a login whose user index would pass 64 KiB, suggesting maxSessionsPerUser', () => {
    expect(results.indexTooLarge).toEqual({
      name: 'SessionTooLargeError',
      isSessionTooLarge: true,
      limit: 65_536,
      namesLimit: true,
      suggestsCap: true,
    })
  })

  it('runs again a read that found the KV file locked', () => {
    expect(results.lockedRead).toBe(7)
  })

  it('closes both handles, leaving only the KV file', async () => {
    expect((await readdir(directory)).every((name) => name.startsWith('sessions.kv'))).toBe(true)
  })
})

describe('createDenoKvSessionStorage', () => {
  it('refuses a maxAttempts that is not an integer from 1 to 100', () => {
    let kv = {} as DenoKv
    expect(() => createDenoKvSessionStorage(kv, { maxAttempts: 0 })).toThrow(TypeError)
    expect(() => createDenoKvSessionStorage(kv, { maxAttempts: 1.5 })).toThrow(TypeError)
    expect(() => createDenoKvSessionStorage(kv, { maxAttempts: 101 })).toThrow(/maxAttempts/)
    expect(() => createDenoKvSessionStorage(kv, { maxAttempts: 100 })).not.toThrow()
  })

  it('refuses a prefix that is not a non-empty array of strings and numbers', () => {
    let kv = {} as DenoKv
    let prefixes = [[], 'session', [{}], [true], null] as unknown as string[][]
    for (let prefix of prefixes) {
      expect(() => createDenoKvSessionStorage(kv, { prefix })).toThrow(/prefix/)
    }
    expect(() => createDenoKvSessionStorage(kv, { prefix: ['app', 2] })).not.toThrow()
  })
})
