import { escapeHtml as e } from '@x/fetch-router'
import { type Product, products } from './catalog.ts'
import { routes } from './routes.ts'

/** What every page shows in its header. */
export interface PageState {
  user: string | undefined
  cartCount: number
  notice: string | undefined
}

/** A whole page: the header (shop, cart, account), the notice if any, and `body`. */
export function layout(title: string, state: PageState, body: string): string {
  let account = state.user
    ? `<span>Signed in as <b>${e(state.user)}</b></span>
       <a href="${routes.account.sessions.show.href()}">Your sessions</a>
       <form method="post" action="${routes.logout.href()}"><button>Log out</button></form>`
    : `<a href="${routes.login.index.href()}">Log in</a>`
  let notice = state.notice ? `<p class="notice" role="status">${e(state.notice)}</p>` : ''
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(title)} · Shop</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:40rem}header{display:flex;gap:1rem;align-items:center}
header form{margin:0}.notice{background:#e7f6e7;padding:.5rem 1rem;border-radius:.5rem}
.badge{background:#333;color:#fff;border-radius:1rem;padding:0 .5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem .25rem 0;white-space:nowrap}
main form{display:inline}</style></head>
<body>
<header><a href="${routes.home.href()}"><b>Shop</b></a>
<a href="${routes.cart.show.href()}">Cart <span class="badge" data-testid="cart-count">${state.cartCount}</span></a>
${account}</header>
${notice}
<main>${body}</main>
</body>
</html>`
}

/** The product list, each with an "Add … to cart" button. */
export function productList(): string {
  let items = products
    .map(
      (product: Product) => `<li>${e(product.name)}: $${product.price}
  <form method="post" action="${routes.cart.add.href()}" style="display:inline">
    <input type="hidden" name="sku" value="${e(product.sku)}"><button>Add ${e(product.name)} to cart</button>
  </form></li>`,
    )
    .join('\n')
  return `<h1>Products</h1><ul>${items}</ul>`
}

/** The cart: each line with its quantity, or a note that it is empty. */
export function cartPage(lines: { name: string; quantity: number }[]): string {
  if (lines.length === 0) return '<h1>Your cart</h1><p>Your cart is empty.</p>'
  let items = lines.map((line) => `<li>${e(line.name)} × ${line.quantity}</li>`).join('')
  return `<h1>Your cart</h1><ul>${items}</ul>`
}

/** The login form, with `error` above it when the last attempt failed. */
export function loginForm(error?: string): string {
  return `<h1>Log in</h1>
${error ? `<p class="error" role="alert">${e(error)}</p>` : ''}
<form method="post" action="${routes.login.action.href()}">
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button>Log in</button>
</form>
<p>Try <code>ada</code> / <code>lovelace-1815</code>.</p>`
}

/** One session of the signed-in user, as the sessions page shows it. */
export interface SessionRow {
  /** The opaque handle that ends this session (never its id). */
  handle: string
  /** When the session began: its login. */
  createdAt: Date
  /** When the session was last saved (renewals are written now and then, not on every request). */
  lastUsedAt: Date
  /** Whether this is the session of the request showing the page. */
  current: boolean
  /** The device named at login; absent for a session that began before the shop named devices. */
  values: { device?: string }
}

/** A time as the sessions page prints it: `2025-01-31 14:05 UTC`, in a `<time>` element. */
function time(date: Date): string {
  let iso = date.toISOString()
  return `<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time>`
}

const signOutThisDevice = `<form method="post" action="${routes.logout.href()}"><button>Sign out this device</button></form>`

/**
 * The "Your sessions" page: every session of the signed-in user, most recently used first, this
 * device marked, a "Sign out" button for each other one, then "Sign out this device" and "Sign
 * out everywhere".
 */
export function sessionsPage(rows: readonly SessionRow[]): string {
  let body = rows
    .map((row) => {
      let device = e(row.values.device ?? 'Unknown device')
      let action = row.current
        ? '<b class="badge">This device</b>'
        : `<form method="post" action="${routes.account.sessions.end.href()}">
      <input type="hidden" name="handle" value="${e(row.handle)}">
      <button aria-label="Sign out ${device}">Sign out</button></form>`
      return `<tr><th scope="row">${device}</th>
    <td>${time(row.createdAt)}</td><td>${time(row.lastUsedAt)}</td><td>${action}</td></tr>`
    })
    .join('\n')
  return `<h1>Your sessions</h1>
<p>You are signed in on these devices. Sign out any you do not recognise.</p>
<table>
  <thead><tr><th scope="col">Device</th><th scope="col">Signed in</th><th scope="col">Last used</th><th scope="col">Sign out</th></tr></thead>
  <tbody>${body}</tbody>
</table>
<p>${signOutThisDevice}
<form method="post" action="${routes.account.sessions.endAll.href()}"><button>Sign out everywhere</button></form></p>`
}

/** The sessions page when the storage keeps sessions only in their cookies: this device alone. */
export function sessionsUnavailable(): string {
  return `<h1>Your sessions</h1>
<p>Listing your sessions needs a server-side session storage (memory, file or Redis). This shop
keeps each session in its own encrypted cookie, so it knows only this device's.</p>
<p>${signOutThisDevice}</p>`
}
