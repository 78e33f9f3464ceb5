import { createMemorySessionStorage } from '@x/session/memory-storage'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// ours-memory's app answering with `new Response()` instead of the router's `text()` helper: the
// session middleware copies that response from its body stream to add the cookie.
let router = createOursApp(createMemorySessionStorage(), { plainResponse: true })
serveFetch((request) => router.fetch(request))
