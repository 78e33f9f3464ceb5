import type { AddressInfo } from 'node:net'
import express from 'express'
import session, { type Store } from 'express-session'
import { secret } from '../config.ts'
import { cookieMaxAge, nextCount } from './counter.ts'
import { announce, onShutdown, port } from './lifecycle.ts'

// express-session types `req.session` from this interface; the counter stores `count`.
declare module 'express-session' {
  interface SessionData {
    count: number
  }
}

/**
 * Serves the counter on express 5 with express-session (`resave: false`,
 * `saveUninitialized: false`) over `store` (the default MemoryStore when undefined).
 */
export function serveExpressCounter(store: Store | undefined, close?: () => unknown): void {
  let app = express()
  app.use(
    session({
      name: 'session',
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: cookieMaxAge * 1000, httpOnly: true, sameSite: 'lax' },
      ...(store ? { store } : {}),
    }),
  )
  app.get('/', (request, response) => {
    let count = nextCount(request.session.count)
    request.session.count = count
    response.type('text/plain').send(String(count))
  })
  let server = app.listen(port, () => announce((server.address() as AddressInfo).port))
  onShutdown(close)
}
