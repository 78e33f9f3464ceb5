import { commitSession, type Session, SessionStorageError } from '@x/session'
import express from 'express'
import { cookie, homePage, storage } from '../session.ts'

/** A route handler that answers with a Fetch `Response`, given the session. */
type SessionHandler = (req: express.Request, session: Session) => Response | Promise<Response>

/**
 * Express has no step between a handler and its headers going out where a save could be awaited,
 * so each handler answers with a Fetch `Response` and this wrapper reads the session before it,
 * commits the session onto its answer, and writes that answer through Express. Forgetting to save
 * is impossible, and every rule of `commitSession()` applies: HEAD saves nothing, `Secure` over
 * HTTPS (`req.secure`, which honours Express's `trust proxy` setting), no cookie on a public page.
 */
function withSession(handler: SessionHandler): express.RequestHandler {
  return async (req, res) => {
    let session = await storage.read(await cookie.parse(req.headers.cookie)).catch((error) => {
      throw new SessionStorageError(error)
    })
    let answer = await handler(req, session)
    let response = await commitSession(req, answer, session, { cookie, storage, https: req.secure })
    res.status(response.status)
    for (let [name, value] of response.headers)
      if (name !== 'set-cookie') res.setHeader(name, value)
    let setCookies = response.headers.getSetCookie()
    if (setCookies.length > 0) res.setHeader('Set-Cookie', setCookies)
    res.end(Buffer.from(await response.arrayBuffer()))
  }
}

const app = express()
app.use(express.urlencoded({ extended: false }))

app.get(
  '/',
  withSession((_req, session) => {
    let user = session.get('user') as string | undefined
    return new Response(homePage(user, session.get('notice') as string | undefined))
  }),
)

app.post(
  '/login',
  withSession((req, session) => {
    let name: unknown = req.body?.name
    if (typeof name !== 'string' || name === '')
      return new Response('Name required', { status: 400 })
    session.regenerateId(true) // a new id at login: a planted one cannot follow the user in
    session.set('user', name)
    session.flash('notice', 'Signed in')
    return new Response(null, { status: 303, headers: { Location: '/' } })
  }),
)

app.post(
  '/fail',
  withSession((_req, session) => {
    session.set('user', 'mallory') // a change the failure must not save
    throw new Error('failed midway')
  }),
)

app.post(
  '/logout',
  withSession((_req, session) => {
    session.destroy()
    return new Response(null, { status: 303, headers: { Location: '/' } })
  }),
)

// Express 5 sends a rejected promise from a handler here.
app.use(
  (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // The storage is down: say so, and do not go on with an empty session.
    if (error instanceof SessionStorageError)
      return void res.status(503).send('Service Unavailable')
    console.error(error)
    res.status(500).send('Internal Server Error')
  },
)

const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOST ?? '127.0.0.1'
const server = app.listen(port, hostname, () => {
  let address = server.address()
  let bound = typeof address === 'object' && address ? address.port : port
  console.log(`Listening on http://${hostname}:${bound} (Express on Node ${process.version})`)
})

for (let signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
