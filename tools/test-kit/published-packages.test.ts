import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runtime, runtimes } from './runtimes.ts'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const { packageManager } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
/** The pinned pnpm, however the tests were started. */
const pnpm = ['npx', '--yes', packageManager as string]
const packages = ['session', 'fetch-router']

/** A session round trip through the router, in plain JavaScript that every runtime runs as is. */
const app = `
import { createRouter } from '@x/fetch-router'
import { session } from '@x/fetch-router/session'
import { createCookie } from '@x/session/cookie'
import { createMemorySessionStorage } from '@x/session/memory-storage'

const cookie = createCookie('s', { secrets: ['a-packed-test-secret-32-chars-long!'] })
const router = createRouter({ middleware: [session(cookie, createMemorySessionStorage())] })
router.get('/set', ({ session, url }) => {
  session.set('name', url.searchParams.get('name'))
  return new Response('saved')
})
router.get('/get', ({ session }) => new Response('name: ' + session.get('name')))

const saved = await router.fetch(new Request('http://app.test/set?name=ada'))
const pair = (saved.headers.get('Set-Cookie') ?? '').split(';')[0]
const read = await router.fetch(new Request('http://app.test/get', { headers: { Cookie: pair } }))
console.log(JSON.stringify({ saved: saved.status, cookie: pair.startsWith('s='), read: await read.text() }))
`

/** The runtimes the installed packages run on: this machine's Node (20), then every other one. */
const consumers: Runtime[] = [
  { name: `Node ${process.versions.node}`, command: process.execPath, args: [], entry: 'node' },
  ...runtimes.map((runtime) => ({
    ...runtime,
    args: runtime.entry === 'deno' ? ['run', '-A'] : [],
  })),
]

describe('the packages as published', () => {
  let scratch: string
  let project: string

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'x-published-'))
    project = path.join(scratch, 'app')
    // check:package packs with pnpm (prepack builds dist/) and runs publint and attw on the tarball.
    await Promise.all(
      packages.map((name) =>
        run(
          pnpm[0] as string,
          [...pnpm.slice(1), 'run', 'check:package', path.join(scratch, name)],
          {
            cwd: path.join(root, 'packages', name),
          },
        ),
      ),
    )
    let dependencies = Object.fromEntries(
      packages.map((name) => {
        let directory = path.join(scratch, name)
        let tarball = fs.readdirSync(directory).find((file) => file.endsWith('.tgz')) as string
        return [`@x/${name}`, `file:${path.join(directory, tarball)}`]
      }),
    )
    fs.mkdirSync(project)
    let manifest = { name: 'app', private: true, type: 'module', dependencies }
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2))
    fs.writeFileSync(path.join(project, 'app.js'), app)
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project })
  }, 180_000)

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
  })

  it('has manifests with real versions and exports of dist/ only', () => {
    for (let name of packages) {
      let manifest = fs.readFileSync(
        path.join(project, 'node_modules', '@x', name, 'package.json'),
        'utf8',
      )
      expect(manifest).not.toMatch(/"(workspace|catalog):/)
      expect(manifest).not.toContain('./src/')
      expect(
        fs.existsSync(path.join(project, 'node_modules', '@x', name, 'dist', 'index.js')),
      ).toBe(true)
    }
  })

  it.each(consumers)('keeps a session across two requests on $name', async (runtime) => {
    let { stdout } = await run(runtime.command, [...runtime.args, 'app.js'], {
      cwd: project,
      env: { ...process.env, NO_COLOR: '1' },
    })
    expect(JSON.parse(stdout)).toEqual({ saved: 200, cookie: true, read: 'name: ada' })
  })

  it('refuses to be packed by npm, naming pnpm', async () => {
    // As from a user's shell: `pnpm test` runs this with pnpm's npm_config_* variables set, and
    // npm would read pnpm's user agent from them.
    let env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
    )
    let packed = run('npm', ['pack', '--dry-run'], {
      cwd: path.join(root, 'packages', 'session'),
      env,
    })
    await expect(packed).rejects.toMatchObject({
      stderr: expect.stringContaining('pack and publish with pnpm'),
    })
  }, 60_000)
})
