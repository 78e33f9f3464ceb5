import { commitSession, type Session, SessionStorageError } from '@x/session'
import { cookie, homePage, storage } from '../session.ts'

/**
 * A bare Fetch handler with a session, for `Deno.serve` and `Bun.serve` (or any server that
 * speaks `Request` and `Response`): read the session, answer, then `commitSession()` saves it and
 * puts the cookie on a copy of the answer. The answer may be `Response.redirect()`, whose headers
 * cannot be changed.
 */
export async function handle(request: Request): Promise<Response> {
  try {
    let session = await storage
      .read(await cookie.parse(request.headers.get('Cookie')))
      .catch((error: unknown) => {
        throw new SessionStorageError(error)
      })
    let response = await route(request, session)
    return await commitSession(request, response, session, { cookie, storage })
  } catch (error) {
    // The storage is down: say so, and do not go on with an empty session.
    if (error instanceof SessionStorageError)
      return new Response('Service Unavailable', { status: 503 })
    console.error(error)
    return new Response('Internal Server Error', { status: 500 })
  }
}

async function route(request: Request, session: Session): Promise<Response> {
  let { pathname } = new URL(request.url)
  let home = new URL('/', request.url)
  if (pathname === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
    let user = session.get('user') as string | undefined
    return new Response(homePage(user, session.get('notice') as string | undefined))
  }
  if (pathname === '/login' && request.method === 'POST') {
    let name = (await request.formData()).get('name')
    if (typeof name !== 'string' || name === '')
      return new Response('Name required', { status: 400 })
    session.regenerateId(true) // a new id at login: a planted one cannot follow the user in
    session.set('user', name)
    session.flash('notice', 'Signed in')
    return Response.redirect(home, 303)
  }
  if (pathname === '/fail' && request.method === 'POST') {
    session.set('user', 'mallory') // a change the failure must not save
    throw new Error('failed midway')
  }
  if (pathname === '/logout' && request.method === 'POST') {
    session.destroy()
    return Response.redirect(home, 303)
  }
  return new Response('Not Found', { status: 404 })
}
