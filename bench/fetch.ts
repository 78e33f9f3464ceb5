import { blackhole } from './blackhole.ts'
import {
  createHonoSmallApp,
  createOursSmallApp,
  createRemixSmallApp,
  type FetchHandler,
  smallAppRequests,
} from './fetch-apps.ts'
import type { ResultTable } from './result-table.ts'
import { timeColumn } from './time-column.ts'
import { measureTasks, type TinyTask } from './tiny.ts'

const baseline = 'hono app.fetch'

const urls = smallAppRequests.map((request) => request.url)

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
      opsPerCall: urls.length,
      async fn() {
        for (let url of urls) blackhole.value = await app(new Request(url))
      },
    })),
    {
      name: 'floor: new Request',
      opsPerCall: urls.length,
      fn() {
        for (let url of urls) blackhole.value = new Request(url)
      },
    },
    {
      name: 'floor: new Request + new Response',
      opsPerCall: urls.length,
      fn() {
        for (let url of urls) {
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
    description: `A 10-route app (params, nested params, static), requests cycling over ${urls.length} URLs; the Response is created, its body not read. Each cell: speed relative to **${baseline}** (higher is faster), then the median time per request. The floor rows are what any Fetch API router pays at least.`,
    rows: tasks.map((task) => task.name),
    columns: [timeColumn('per request', baseline, measurements)],
  }
}

/** Checks that `app` answers every request of the mix with its expected body. */
async function verifyApp(name: string, app: FetchHandler): Promise<void> {
  for (let { url, body: expected } of smallAppRequests) {
    let response = await app(new Request(url))
    let body = await response.text()
    if (response.status !== 200 || body !== expected) {
      throw new Error(`${name}: ${url} gave ${response.status} "${body}", expected "${expected}"`)
    }
  }
}
