import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { defaultRuntime, type Server, startServer } from '@x/test-kit'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './launch-chromium.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * The attacks, as a hostile page would send them to `shop`: each form of the shop, auto-submitted
 * on load with the attacker's values, and the JSON API called with `fetch` (a cross-origin
 * `no-cors` POST: the page cannot read the answer, but the request is sent).
 */
function attacks(shop: string): Record<string, string> {
  let autoSubmit = (action: string, fields: Record<string, string> = {}) => {
    let inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
      .join('')
    return `<!doctype html><form method="post" action="${shop}${action}">${inputs}</form>
<script>document.forms[0].submit()</script>`
  }
  return {
    '/logout': autoSubmit('/logout'),
    '/login': autoSubmit('/login', { username: 'grace', password: 'hopper-1906' }),
    '/cart/items': autoSubmit('/cart/items', { sku: 'tee' }),
    '/api/locale': `<!doctype html><script>
fetch('${shop}/api/locale', { method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: { 'Content-Type': 'text/plain' }, body: '{"country":"FR"}' })
</script>`,
  }
}

/** A hostile site on a port of its own, serving one attack page per path. */
async function startHostileSite(pages: Record<string, string>): Promise<http.Server> {
  let server = http.createServer((request, response) => {
    let page = pages[new URL(request.url ?? '/', 'http://x').pathname]
    response.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' })
    response.end(page ?? 'Not Found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

const sessionCookie = async (context: BrowserContext) =>
  (await context.cookies()).find(({ name }) => name === 'shop_session')?.value

const badge = (page: Page) => page.getByTestId('cart-count').textContent()

describe('the shop in Chromium, against a hostile page on another origin', () => {
  let shop: Server
  let hostile: http.Server
  let browser: Browser

  beforeAll(async () => {
    shop = await startServer(defaultRuntime, here, {
      SESSION_STORAGE: 'memory',
      SESSION_SECRET: 'a-test-secret-that-is-32-chars-long!',
    })
    hostile = await startHostileSite(attacks(shop.base))
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    hostile?.closeAllConnections()
    await new Promise((resolve) => (hostile ? hostile.close(resolve) : resolve(undefined)))
    await shop?.stop()
  })

  it.each([
    ['another port of the same host (same-site)', '127.0.0.1'],
    ['another host name (cross-site)', 'localhost'],
  ])(
    'refuses every state change from %s with 403, and the shop still works',
    async (_, hostname) => {
      let context = await browser.newContext()
      let page = await context.newPage()
      await page.goto(`${shop.base}/login`)
      await page.getByLabel('Username').fill('ada')
      await page.getByLabel('Password').fill('lovelace-1815')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.waitForURL(`${shop.base}/`)
      await page.getByRole('button', { name: 'Add Enamel mug to cart' }).click()
      await page.waitForURL(`${shop.base}/cart`)
      let victim = await sessionCookie(context)
      expect(victim).toBeDefined()

      let site = `http://${hostname}:${(hostile.address() as AddressInfo).port}`
      for (let path of Object.keys(attacks(shop.base))) {
        let attack = await context.newPage()
        let answered = attack.waitForResponse(
          (response) => response.url() === `${shop.base}${path}`,
        )
        await attack.goto(`${site}${path}`)
        let response = await answered
        expect(response.status(), path).toBe(403)
        expect(response.headers()['set-cookie']).toBeUndefined()
        await attack.close()
        expect(await sessionCookie(context), path).toBe(victim)
      }

      // Still ada, still one mug, locale untouched; and the shop's own forms still work.
      await page.goto(`${shop.base}/cart`)
      expect(await page.getByText('Signed in as').textContent()).toBe('Signed in as ada')
      expect(await page.getByText('Enamel mug × 1').count()).toBe(1)
      expect(await badge(page)).toBe('1')
      await page.goto(`${shop.base}/api/locale`)
      expect(JSON.parse((await page.textContent('body')) ?? '')).toEqual({
        country: 'US',
        language: 'en',
      })
      await page.goto(`${shop.base}/`)
      await page.getByRole('button', { name: 'Add Cotton T-shirt to cart' }).click()
      await page.waitForURL(`${shop.base}/cart`)
      expect(await badge(page)).toBe('2')
      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${shop.base}/`)
      expect(await sessionCookie(context)).toBeUndefined()
      await context.close()
    },
    60_000,
  )
})
