import { createRouter, html, json, redirect } from '@x/fetch-router'
import { crossOrigin } from '@x/fetch-router/cross-origin'
import { session } from '@x/fetch-router/session'
import { validate } from '@x/fetch-router/validate'
import type { Cookie } from '@x/session/cookie'
import { z } from 'zod'
import { mapAccountSessions } from './account-sessions.ts'
import { findProduct, passwordMatches } from './catalog.ts'
import { deviceName } from './device-name.ts'
import { routes } from './routes.ts'
import type { ShopStorage } from './session-config.ts'
import { pageState } from './shop-session.ts'
import { cartPage, layout, loginForm, productList } from './views.ts'

// Validation middleware is made once, outside the routes, so its types reach the handlers.
const credentials = validate({
  form: z.object({ username: z.string().trim(), password: z.string() }),
})
const cartItem = validate({ form: z.object({ sku: z.string() }) })
const localeInput = validate({
  json: z
    .object({
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, 'a two-letter country code such as "CA"')
        .optional(),
      language: z
        .string()
        .regex(/^[a-z]{2,3}$/, 'a language code such as "fr"')
        .optional(),
    })
    .refine((locale) => locale.country !== undefined || locale.language !== undefined, {
      message: 'give a country, a language, or both',
    }),
})

/**
 * The shop: products, a cart, login and logout, the user's own sessions ("Your sessions", with
 * server-side storages), and a locale preference API, all kept in the session that `cookie` and
 * `storage` provide. Every form post and API write a browser sends from another origin (another
 * site, another port, another subdomain) is refused with `403` by `crossOrigin()`, before the
 * session is read: a hostile page can neither sign the visitor in or out nor touch their cart.
 */
export function createShop(cookie: Cookie, storage: ShopStorage) {
  let router = createRouter({ middleware: [crossOrigin(), session(cookie, storage)] })

  router.map(routes.home, ({ session }) =>
    html(layout('Products', pageState(session), productList())),
  )

  router.map(routes.login.index, ({ session }) =>
    html(layout('Log in', pageState(session), loginForm())),
  )

  router.post(routes.login.action, {
    middleware: [credentials],
    handler({ request, session, valid }) {
      let { username, password } = valid.form
      if (!passwordMatches(username, password)) {
        let page = layout('Log in', pageState(session), loginForm('Wrong username or password.'))
        return html(page, { status: 401 })
      }
      // A new id at login, and the old one deleted: an id planted before cannot follow the user in.
      session.regenerateId(true)
      session.set('user', username)
      // Named once, at login: what "Your sessions" shows for this session.
      session.set('device', deviceName(request.headers.get('User-Agent')))
      session.flash('notice', `Logged in as ${username}`)
      return redirect(routes.home.href(), 303)
    },
  })

  router.map(routes.logout, ({ session }) => {
    session.destroy()
    return redirect(routes.home.href(), 303)
  })

  mapAccountSessions(router, storage)

  router.map(routes.cart.show, ({ session }) => {
    let lines = (session.get('cart') ?? []).map((line) => ({
      name: findProduct(line.sku)?.name ?? line.sku,
      quantity: line.quantity,
    }))
    return html(layout('Cart', pageState(session), cartPage(lines)))
  })

  router.post(routes.cart.add, {
    middleware: [cartItem],
    handler({ session, valid }) {
      let product = findProduct(valid.form.sku)
      if (product === undefined) return html('No such product', { status: 400 })
      let cart = session.get('cart') ?? []
      let line = cart.find((item) => item.sku === product.sku)
      let next = line
        ? cart.map((item) => (item === line ? { ...item, quantity: item.quantity + 1 } : item))
        : [...cart, { sku: product.sku, quantity: 1 }]
      session.set('cart', next)
      session.flash('notice', `Item added: ${product.name}`)
      return redirect(routes.cart.show.href(), 303)
    },
  })

  router.map(routes.locale.show, ({ session }) =>
    json({ country: session.get('country') ?? 'US', language: session.get('language') ?? 'en' }),
  )

  router.post(routes.locale.update, {
    middleware: [localeInput],
    handler({ session, valid }) {
      // Only the fields given change, so two requests that set one each both count.
      let { country, language } = valid.json
      if (country !== undefined) session.set('country', country)
      if (language !== undefined) session.set('language', language)
      return json({
        country: session.get('country') ?? 'US',
        language: session.get('language') ?? 'en',
      })
    },
  })

  router.map(routes.locale.reset, ({ session }) => {
    session.unset('country')
    session.unset('language')
    return new Response(null, { status: 204 })
  })

  return router
}
