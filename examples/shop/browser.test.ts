import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runtimes, type Server, startServer } from '@x/test-kit'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './launch-chromium.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const artifacts = fileURLToPath(new URL('test-results/', import.meta.url))

const badge = (page: Page) => page.getByTestId('cart-count').textContent()

describe('the shop in Chromium', () => {
  let server: Server
  let browser: Browser

  beforeAll(async () => {
    server = await startServer(runtimes[0] as (typeof runtimes)[0], here, {
      SESSION_STORAGE: 'memory',
      SESSION_SECRET: 'a-test-secret-that-is-32-chars-long!',
    })
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('logs in, shows the flash once, keeps the cart through a reload, and logs out', async () => {
    let context = await browser.newContext()
    let page = await context.newPage()

    await page.goto(`${server.base}/login`)
    await page.getByLabel('Username').fill('ada')
    await page.getByLabel('Password').fill('lovelace-1815')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${server.base}/`)
    expect(await page.getByRole('status').textContent()).toBe('Logged in as ada')
    expect(await page.getByText('Signed in as').textContent()).toBe('Signed in as ada')

    await page.getByRole('button', { name: 'Add Cotton T-shirt to cart' }).click()
    await page.waitForURL(`${server.base}/cart`)
    expect(await page.getByRole('status').textContent()).toBe('Item added: Cotton T-shirt')
    expect(await badge(page)).toBe('1')

    await page.reload()
    expect(await badge(page)).toBe('1')
    expect(await page.getByRole('status').count()).toBe(0)
    expect(await page.getByText('Cotton T-shirt × 1').count()).toBe(1)

    let [cookie] = (await context.cookies()).filter(({ name }) => name === 'shop_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false })
    let lifetime = (cookie?.expires ?? 0) - Date.now() / 1000
    expect(lifetime).toBeGreaterThan(7 * 86_400 - 600)
    expect(lifetime).toBeLessThanOrEqual(7 * 86_400)
    expect(await page.evaluate(() => document.cookie)).not.toContain('shop_session')

    fs.mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: `${artifacts}shop-cart.png`, fullPage: true })

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${server.base}/`)
    expect(await page.getByRole('link', { name: 'Log in' }).count()).toBe(1)
    expect(await badge(page)).toBe('0')
    expect((await context.cookies()).filter(({ name }) => name === 'shop_session')).toEqual([])
    await context.close()
  }, 60_000)
})
