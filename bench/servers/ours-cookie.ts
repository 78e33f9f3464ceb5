import { createCookieSessionStorage } from '@x/session/cookie-storage'
import { createOursApp } from './ours-app.ts'
import { serveFetch } from './serve-fetch.ts'

// @x/fetch-router + session() + cookie storage (the whole session in the signed cookie).
let router = createOursApp(createCookieSessionStorage())
serveFetch((request) => router.fetch(request))
