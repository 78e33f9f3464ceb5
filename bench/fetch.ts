import { blackhole } from './blackhole.ts'
import {
  createHonoSmallApp,
  createOursSmallApp,
  createRemixSmallApp,
  type FetchHandler,
  smallAppUrls,
} from './fetch-apps.ts'
import type { ResultTable } from './result-table.ts'
import { timeColumn } from './time-column.ts'
import { measureTasks, type TinyTask } from './tiny.ts'

const baseline = 'hono app.fetch'

/**
 * `fetch(new Request(url))` in process on a small app, for ours, Hono and Remix, and the floor
 * every one of them pays: building the `Request`, and the `Request` plus a `Response`.
 */
export async function runFetch(log: (line: string) => void): Promise<ResultTable> {
  let apps: [string, FetchHandler][] = [
    [baseline, createHonoSmallApp()],
    ['ours router.fetch', createOursSmallApp()],
    ['remix router.fetch', createRemixSmallApp()],
  ]
  for (let [name, app] of apps) await verifyApp(name, app)
  let tasks: TinyTask[] = [
    ...apps.map(([name, app]) => ({
      name,
      opsPerCall: smallAppUrls.length,
      async fn() {
        for (let url of smallAppUrls) blackhole.value = await app(new Request(url))
      },
    })),
    {
      name: 'floor: new Request',
      opsPerCall: smallAppUrls.length,
      fn() {
        for (let url of smallAppUrls) blackhole.value = new Request(url)
      },
    },
    {
      name: 'floor: new Request + new Response',
      opsPerCall: smallAppUrls.length,
      fn() {
        for (let url of smallAppUrls) {
          blackhole.value = new Request(url)
          blackhole.value = new Response('x')
        }
      },
    },
  ]
  log('  router.fetch: ours, hono, remix and the floor')
  let measurements = await measureTasks(tasks)
  return {
    title: 'router.fetch(new Request(url)) in process',
    description: `A 10-route app (params, nested params, static), requests cycling over ${smallAppUrls.length} URLs; the Response is created, its body not read. Each cell: speed relative to **${baseline}** (higher is faster), then the median time per request. The floor rows are what any Fetch API router pays at least.`,
    rows: tasks.map((task) => task.name),
    columns: [timeColumn('per request', baseline, measurements)],
  }
}

async function verifyApp(name: string, app: FetchHandler): Promise<void> {
  let expected = ['42', '7', '9', 'about']
  for (let [index, url] of smallAppUrls.entries()) {
    let response = await app(new Request(url))
    let body = await response.text()
    if (response.status !== 200 || body !== expected[index]) {
      throw new Error(
        `${name}: ${url} gave ${response.status} "${body}", expected "${expected[index]}"`,
      )
    }
  }
}
