import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultRuntime, type Server, startServer } from '@x/test-kit'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './launch-chromium.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const artifacts = fileURLToPath(new URL('test-results/', import.meta.url))

// Two devices: each browser context has its own cookie jar and says who it is.
const laptopAgent =
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0 (shop browser test)'
const phoneAgent =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

/** Signs `page` in as ada through the login form. */
async function logIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/login`)
  await page.getByLabel('Username').fill('ada')
  await page.getByLabel('Password').fill('lovelace-1815')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(`${base}/`)
  expect(await page.getByText('Signed in as').textContent()).toBe('Signed in as ada')
}

/** Whether the page, just reloaded, shows a signed-out visitor. */
async function signedOut(page: Page): Promise<boolean> {
  await page.reload()
  return (
    (await page.getByRole('link', { name: 'Log in' }).count()) === 1 &&
    (await page.getByText('Signed in as').count()) === 0
  )
}

function describeSessionsPage(storage: 'memory' | 'file'): void {
  describe(`"Your sessions" in Chromium, ${storage} sessions`, () => {
    let server: Server
    let browser: Browser
    let contexts: BrowserContext[] = []
    let directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-shop-browser-'))

    beforeAll(async () => {
      server = await startServer(defaultRuntime, here, {
        SESSION_STORAGE: storage,
        SESSION_DIR: path.join(directory, 'sessions'),
        SESSION_SECRET: 'a-test-secret-that-is-32-chars-long!',
      })
      browser = await launchChromium()
    }, 60_000)

    afterAll(async () => {
      await Promise.all(contexts.map((context) => context.close()))
      await browser?.close()
      await server?.stop()
      fs.rmSync(directory, { recursive: true, force: true })
    })

    it('lists both devices, signs the other one out, then signs out everywhere', async () => {
      contexts = [
        await browser.newContext({ userAgent: laptopAgent }),
        await browser.newContext({ userAgent: phoneAgent }),
      ]
      let [laptop, phone] = await Promise.all(contexts.map((context) => context.newPage()))
      if (laptop === undefined || phone === undefined) throw new Error('no pages')
      await logIn(laptop, server.base)
      await logIn(phone, server.base)

      await laptop.getByRole('link', { name: 'Your sessions' }).click()
      await laptop.waitForURL(`${server.base}/account/sessions`)
      let rows = laptop.getByRole('row')
      expect(await rows.count()).toBe(3)
      let thisDevice = laptop.getByRole('row', { name: /Firefox on Linux/ })
      expect(await thisDevice.getByText('This device').count()).toBe(1)
      let otherDevice = laptop.getByRole('row', { name: /Safari on iPhone/ })
      expect(await otherDevice.getByText('This device').count()).toBe(0)
      expect(await laptop.getByRole('button', { name: 'Sign out Firefox on Linux' }).count()).toBe(
        0,
      )
      if (storage === 'memory') {
        fs.mkdirSync(artifacts, { recursive: true })
        await laptop.screenshot({ path: `${artifacts}shop-sessions.png`, fullPage: true })
      }

      await laptop.getByRole('button', { name: 'Sign out Safari on iPhone' }).click()
      await laptop.waitForURL(`${server.base}/account/sessions`)
      expect(await laptop.getByRole('status').textContent()).toBe('Signed out Safari on iPhone')
      expect(await laptop.getByRole('row').count()).toBe(2)
      expect(await signedOut(phone)).toBe(true)
      expect(await signedOut(laptop)).toBe(false)

      await logIn(phone, server.base)
      await phone.goto(`${server.base}/account/sessions`)
      expect(await phone.getByRole('row').count()).toBe(3)
      await phone.getByRole('button', { name: 'Sign out everywhere' }).click()
      await phone.waitForURL(`${server.base}/`)
      expect(await signedOut(phone)).toBe(true)
      expect(await signedOut(laptop)).toBe(true)
      let phoneCookies = (await contexts[1]?.cookies()) ?? []
      expect(phoneCookies.filter(({ name }) => name === 'shop_session')).toEqual([])
    }, 60_000)
  })
}

describeSessionsPage('memory')
describeSessionsPage('file')
