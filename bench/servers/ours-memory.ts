import { createMemorySessionStorage } from '@x/session/memory-storage'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// @x/fetch-router + session() + memory storage (the signed id in the cookie).
let router = createOursApp(createMemorySessionStorage())
serveFetch((request) => router.fetch(request))
