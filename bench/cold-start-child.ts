import { coldStartBuilders } from './cold-start-builders.ts'
import { origin } from './request-mixes.ts'
import { fillPattern } from './sample-paths.ts'
import { probeRoutes, scaledRoutes } from './scaled-routes.ts'

// Run in a fresh process by cold-start.ts: builds one framework's router of ROUTE_COUNT routes and
// prints the time to register them and to answer the first request, in milliseconds, as JSON.
let name = process.argv[2] ?? ''
let builder = coldStartBuilders[name]
if (builder === undefined) throw new Error(`Unknown framework "${name}"`)
let routes = scaledRoutes(Number(process.env.ROUTE_COUNT ?? 5000))
let url = origin + fillPattern(probeRoutes.at(-1)?.[1] ?? '/')

let start = performance.now()
let first = builder(routes)
let registered = performance.now()
let response = await first(url)
let answered = performance.now()
if (response === null || (response instanceof Response && response.status !== 200)) {
  throw new Error(`${name}: the first request was not routed`)
}
console.log(JSON.stringify({ register: registered - start, first: answered - registered }))
