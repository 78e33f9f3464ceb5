import { html, type RouteBuilder, redirect } from '@x/fetch-router'
import { validate } from '@x/fetch-router/validate'
import { z } from 'zod'
import { routes } from './routes.ts'
import type { ShopStorage } from './session-config.ts'
import { pageState, type ShopSession } from './shop-session.ts'
import { layout, sessionsPage, sessionsUnavailable } from './views.ts'

// Made once, outside the route, so its types reach the handler.
const endInput = validate({
  form: z.object({
    handle: z.string().regex(/^[\w-]{43}$/, 'a session handle from the sessions page'),
  }),
})

const toLogin = () => redirect(routes.login.index.href(), 303)
const backToPage = () => redirect(routes.account.sessions.show.href(), 303)

/**
 * Maps the signed-in user's "Your sessions" routes on `router`: the page listing every session of
 * the user (`GET /account/sessions`), ending one of them by its handle (`POST
 * /account/sessions/end`, form field `handle`), and ending all of them (`POST
 * /account/sessions/end-all`). A visitor who is not signed in is sent to the login page. With a
 * storage that keeps no sessions on the server (cookie storage) the page explains that only this
 * device can be signed out.
 */
export function mapAccountSessions(
  router: RouteBuilder<{ readonly session: ShopSession }>,
  storage: ShopStorage,
): void {
  router.map(routes.account.sessions.show, async ({ session }) => {
    let user = session.get('user')
    if (user === undefined) return toLogin()
    if (storage.listUserSessions === undefined) {
      return html(layout('Your sessions', pageState(session), sessionsUnavailable()))
    }
    let rows = await storage.listUserSessions(user, { keys: ['device'], current: session })
    return html(layout('Your sessions', pageState(session), sessionsPage(rows)))
  })

  router.post(routes.account.sessions.end, {
    middleware: [endInput],
    async handler({ session, valid }) {
      let user = session.get('user')
      if (user === undefined) return toLogin()
      let { listUserSessions, destroySessionByHandle } = storage
      if (listUserSessions === undefined || destroySessionByHandle === undefined) {
        return backToPage()
      }
      let { handle } = valid.form
      let rows = await listUserSessions(user, { keys: ['device'], current: session })
      let row = rows.find((entry) => entry.handle === handle)
      // A handle of this very session (a hand-made request: the page shows no such button).
      if (row?.current) {
        session.destroy()
        return redirect(routes.home.href(), 303)
      }
      let ended = row !== undefined && (await destroySessionByHandle(user, handle))
      let device = row?.values.device ?? 'Unknown device'
      session.flash('notice', ended ? `Signed out ${device}` : 'That session had already ended')
      return backToPage()
    },
  })

  router.map(routes.account.sessions.endAll, async ({ session }) => {
    let user = session.get('user')
    if (user === undefined) return toLogin()
    await storage.destroyUserSessions?.(user)
    // This device's record is gone already; destroy() also deletes its cookie.
    session.destroy()
    return redirect(routes.home.href(), 303)
  })
}
