import { serve } from '@hono/node-server'
import { commitSession, type Session, SessionStorageError } from '@x/session'
import { Hono } from 'hono'
import { cookie, homePage, storage } from '../session.ts'

/** `c.get('session')` in every handler. */
type Env = { Variables: { session: Session } }

const app = new Hono<Env>()

// Reads the session before the handlers, commits it after them.
app.use(async (c, next) => {
  let session = await storage.read(await cookie.parse(c.req.header('Cookie'))).catch((error) => {
    throw new SessionStorageError(error)
  })
  c.set('session', session)
  await next()
  // Hono catches a handler's throw, answers it with onError and returns normally from next():
  // a handler that failed midway must not have its half-done changes saved.
  if (c.error) return
  let response = await commitSession(c.req.raw, c.res, session, { cookie, storage })
  if (response !== c.res) {
    // Setting c.res copies the old response's headers onto the new one, and its Set-Cookie
    // replaces ours when the handler set a cookie of its own: clear c.res first.
    c.res = undefined
    c.res = response
  }
})

app.get('/', (c) => {
  let session = c.get('session')
  return c.text(homePage(session.get('user') as string, session.get('notice') as string))
})

app.post('/login', async (c) => {
  let name = (await c.req.parseBody()).name
  if (typeof name !== 'string' || name === '') return c.text('Name required', 400)
  let session = c.get('session')
  session.regenerateId(true) // a new id at login: a planted one cannot follow the user in
  session.set('user', name)
  session.flash('notice', 'Signed in')
  return c.redirect('/', 303)
})

app.post('/theme', (c) => {
  c.get('session').flash('notice', 'Theme saved')
  c.header('Set-Cookie', 'theme=dark; Path=/') // a cookie of the app's own, next to the session's
  return c.redirect('/', 303)
})

app.post('/fail', (c) => {
  c.get('session').set('user', 'mallory') // a change the failure must not save
  throw new Error('failed midway')
})

app.post('/logout', (c) => {
  c.get('session').destroy()
  return c.redirect('/', 303)
})

app.onError((error, c) => {
  // The storage is down: say so, and do not go on with an empty session.
  if (error instanceof SessionStorageError) return c.text('Service Unavailable', 503)
  console.error(error)
  return c.text('Internal Server Error', 500)
})

const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOST ?? '127.0.0.1'
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(`Listening on http://${hostname}:${info.port} (Hono on Node ${process.version})`)
})

for (let signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
