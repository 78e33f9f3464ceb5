import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startInProcess } from './in-process.ts'
import { type Target, Visitor } from './scenario.ts'
import type { StorageKind } from './session-config.ts'

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-shop-sessions-'))
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }))

const firefoxOnLinux = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'
const chromeOnWindows =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
const wellFormedHandle = 'A'.repeat(43)

/** The rows of a sessions page: each device, whether it is this one, and its sign-out handle. */
function sessionRows(page: string) {
  return [...page.matchAll(/<tr><th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map(
    ([, device, rest]) => ({
      device,
      current: rest?.includes('This device') ?? false,
      handle: /name="handle" value="([\w-]{43})"/.exec(rest ?? '')?.[1],
    }),
  )
}

/** The handle the page shows for `device`'s "Sign out" button. */
function handleOf(page: string, device: string): string {
  let handle = sessionRows(page).find((row) => row.device === device)?.handle
  expect(handle).toMatch(/^[\w-]{43}$/)
  return handle as string
}

/** Two devices of ada's, each logged in, and the shop they use. */
async function adaOnTwoDevices(target: Target) {
  let laptop = new Visitor(target, firefoxOnLinux)
  let desktop = new Visitor(target, chromeOnWindows)
  expect((await laptop.logIn()).status).toBe(303)
  expect((await desktop.logIn()).status).toBe(303)
  return { laptop, desktop }
}

function describeUserSessions(name: string, storage: StorageKind): void {
  describe(name, () => {
    let target: Target
    beforeEach(async () => {
      target = await startInProcess(storage, directory)
    })
    afterEach(async () => {
      await target.stop?.()
    })

    it('lists every login of the user with its device, this device marked, never a session id', async () => {
      let { laptop } = await adaOnTwoDevices(target)
      let page = await laptop.page('/account/sessions')
      expect(page).toContain('<a href="/account/sessions">Your sessions</a>')
      let rows = sessionRows(page)
      expect(rows.map(({ device, current }) => ({ device, current }))).toEqual(
        expect.arrayContaining([
          { device: 'Firefox on Linux', current: true },
          { device: 'Chrome on Windows', current: false },
        ]),
      )
      expect(rows).toHaveLength(2)
      expect(rows.find((row) => row.current)?.handle).toBeUndefined()
      expect(page).toContain('aria-label="Sign out Chrome on Windows"')
      expect(page).toContain('Sign out this device')
      expect(page).toContain('Sign out everywhere')
      expect(page).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">/)
      let sessionId = decodeURIComponent(laptop.cookie?.split('=')[1] ?? '').split('.')[0]
      expect(sessionId?.length).toBeGreaterThan(20)
      expect(page).not.toContain(sessionId)
    })

    it('names a device it does not recognise "Unknown device"', async () => {
      let visitor = new Visitor(target)
      await visitor.logIn()
      expect(sessionRows(await visitor.page('/account/sessions'))).toEqual([
        { device: 'Unknown device', current: true, handle: undefined },
      ])
    })

    it('ends one session by its handle: that device is signed out, this one stays signed in', async () => {
      let { laptop, desktop } = await adaOnTwoDevices(target)
      let handle = handleOf(await laptop.page('/account/sessions'), 'Chrome on Windows')
      let response = await laptop.post('/account/sessions/end', { handle })
      expect(response.status).toBe(303)
      expect(response.headers.get('Location')).toBe('/account/sessions')
      let page = await laptop.page('/account/sessions')
      expect(page).toContain('Signed out Chrome on Windows')
      expect(sessionRows(page).map((row) => row.device)).toEqual(['Firefox on Linux'])

      let home = await desktop.page('/')
      expect(home).toContain('Log in')
      expect(home).not.toContain('Signed in as')
      expect((await desktop.send('/account/sessions')).headers.get('Location')).toBe('/login')

      await laptop.post('/account/sessions/end', { handle })
      expect(await laptop.page('/account/sessions')).toContain('That session had already ended')
      expect(await laptop.page('/')).toContain('Signed in as <b>ada</b>')
    })

    it("refuses a handle of another user's session, ending nothing", async () => {
      let { laptop } = await adaOnTwoDevices(target)
      let grace = new Visitor(target, firefoxOnLinux)
      await grace.logIn('grace', 'hopper-1906')
      let other = new Visitor(target, chromeOnWindows)
      await other.logIn('grace', 'hopper-1906')
      let handle = handleOf(await grace.page('/account/sessions'), 'Chrome on Windows')

      let response = await laptop.post('/account/sessions/end', { handle })
      expect(response.status).toBe(303)
      expect(await laptop.page('/account/sessions')).toContain('That session had already ended')
      expect(await other.page('/')).toContain('Signed in as <b>grace</b>')
      expect(sessionRows(await grace.page('/account/sessions'))).toHaveLength(2)
      expect(sessionRows(await laptop.page('/account/sessions'))).toHaveLength(2)
    })

    it('ends this very session when given its own handle, as logging out does', async () => {
      let { laptop, desktop } = await adaOnTwoDevices(target)
      let handle = handleOf(await desktop.page('/account/sessions'), 'Firefox on Linux')
      let response = await laptop.post('/account/sessions/end', { handle })
      expect(response.headers.get('Location')).toBe('/')
      expect(response.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
      expect(await desktop.page('/')).toContain('Signed in as <b>ada</b>')
    })

    it('signs out everywhere: every device of the user, this one too', async () => {
      let { laptop, desktop } = await adaOnTwoDevices(target)
      let grace = new Visitor(target)
      await grace.logIn('grace', 'hopper-1906')
      let signedIn = desktop.cookie
      let response = await desktop.post('/account/sessions/end-all', {})
      expect(response.status).toBe(303)
      expect(response.headers.get('Location')).toBe('/')
      expect(response.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
      expect(desktop.cookie).toBeUndefined()
      expect(await laptop.page('/')).not.toContain('Signed in as')
      let replay = new Visitor(target)
      replay.cookie = signedIn
      expect(await replay.page('/')).not.toContain('Signed in as')
      expect(await grace.page('/')).toContain('Signed in as <b>grace</b>')
    })

    it('sends a visitor who is not signed in to the login page, changing nothing', async () => {
      let visitor = new Visitor(target)
      let requests = [
        visitor.send('/account/sessions'),
        visitor.post('/account/sessions/end', { handle: wellFormedHandle }),
        visitor.post('/account/sessions/end-all', {}),
      ]
      for (let response of await Promise.all(requests)) {
        expect(response.status).toBe(303)
        expect(response.headers.get('Location')).toBe('/login')
        expect(response.headers.get('Set-Cookie')).toBeNull()
      }
    })

    it('answers 400 to a handle that is not one, ending nothing', async () => {
      let { laptop, desktop } = await adaOnTwoDevices(target)
      for (let handle of ['', 'not-a-handle', `${wellFormedHandle}A`, '<script>']) {
        let response = await laptop.post('/account/sessions/end', { handle })
        expect(response.status).toBe(400)
        expect(await response.json()).toMatchObject({ issues: [{ in: 'form', path: ['handle'] }] })
      }
      expect((await laptop.post('/account/sessions/end', {})).status).toBe(400)
      expect(await desktop.page('/')).toContain('Signed in as <b>ada</b>')
      expect(sessionRows(await laptop.page('/account/sessions'))).toHaveLength(2)
    })
  })
}

describeUserSessions('"Your sessions" in-process, memory sessions', 'memory')
describeUserSessions('"Your sessions" in-process, file sessions', 'file')
describeUserSessions('"Your sessions" in-process, Redis sessions', 'redis')

describe('"Your sessions" in-process, encrypted cookie sessions', () => {
  let target: Target
  beforeEach(async () => {
    target = await startInProcess('cookie', directory)
  })
  afterEach(async () => {
    await target.stop?.()
  })

  it('explains that listing sessions needs a server-side storage, and offers this device only', async () => {
    let visitor = new Visitor(target, firefoxOnLinux)
    await visitor.logIn()
    let page = await visitor.page('/account/sessions')
    expect(page).toContain('Listing your sessions needs a server-side session storage')
    expect(page).toContain('Sign out this device')
    expect(page).not.toContain('Sign out everywhere')
    expect(sessionRows(page)).toEqual([])
  })

  it('ends no session by handle, and signs out this device on "end all"', async () => {
    let visitor = new Visitor(target, firefoxOnLinux)
    await visitor.logIn()
    let end = await visitor.post('/account/sessions/end', { handle: wellFormedHandle })
    expect(end.headers.get('Location')).toBe('/account/sessions')
    expect(await visitor.page('/')).toContain('Signed in as <b>ada</b>')
    let endAll = await visitor.post('/account/sessions/end-all', {})
    expect(endAll.headers.get('Location')).toBe('/')
    expect(visitor.cookie).toBeUndefined()
  })
})
