import * as fs from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// This machine's network is closed: without these flags Chromium stalls on background connections.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Starts headless Chromium (Debian's, or `CHROMIUM_PATH`) for the shop's browser tests, with a
 * fresh, empty profile each time.
 *
 * @throws {Error} naming the path and the fix when there is no Chromium there.
 */
export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: run "bash .ci/ensure-services" or set CHROMIUM_PATH`,
    )
  }
  return chromium.launch({ executablePath, args: chromiumArgs })
}
