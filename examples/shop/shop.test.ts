import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll } from 'vitest'
import { startInProcess } from './in-process.ts'
import { describeShopScenario } from './scenario.ts'

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'x-shop-'))
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }))

describeShopScenario(
  'the shop in-process, memory sessions',
  () => startInProcess('memory', directory),
  true,
)
describeShopScenario(
  'the shop in-process, file sessions',
  () => startInProcess('file', directory),
  true,
)
describeShopScenario(
  'the shop in-process, encrypted cookie sessions',
  () => startInProcess('cookie', directory),
  false,
)
describeShopScenario(
  'the shop in-process, Redis sessions',
  () => startInProcess('redis', directory),
  true,
)
