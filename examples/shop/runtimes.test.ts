import { fileURLToPath } from 'node:url'
import { eachRuntimeOnce, startServer } from '@x/test-kit'
import { describeShopScenario } from './scenario.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const env = { SESSION_STORAGE: 'memory', SESSION_SECRET: 'a-test-secret-that-is-32-chars-long!' }

// The whole scenario once per runtime (Node 26, Bun, Deno); examples/hello covers Node 22 and 24.
for (let runtime of eachRuntimeOnce) {
  describeShopScenario(
    `the shop served by ${runtime.name}`,
    async () => {
      let server = await startServer(runtime, here, env)
      return { fetch: (url, init) => fetch(url, init), base: server.base, stop: server.stop }
    },
    true,
  )
}
