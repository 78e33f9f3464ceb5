import { escapeHtml as e } from '@x/fetch-router'
import { type Product, products } from './catalog.ts'
import { routes } from './routes.ts'

/** What every page shows in its header. */
export interface PageState {
  user: string | undefined
  cartCount: number
  notice: string | undefined
}

export function layout(title: string, state: PageState, body: string): string {
  let account = state.user
    ? `<span>Signed in as <b>${e(state.user)}</b></span>
       <form method="post" action="${routes.logout.href()}"><button>Log out</button></form>`
    : `<a href="${routes.login.index.href()}">Log in</a>`
  let notice = state.notice ? `<p class="notice" role="status">${e(state.notice)}</p>` : ''
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(title)} · Shop</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:40rem}header{display:flex;gap:1rem;align-items:center}
header form{margin:0}.notice{background:#e7f6e7;padding:.5rem 1rem;border-radius:.5rem}
.badge{background:#333;color:#fff;border-radius:1rem;padding:0 .5rem}</style></head>
<body>
<header><a href="${routes.home.href()}"><b>Shop</b></a>
<a href="${routes.cart.show.href()}">Cart <span class="badge" data-testid="cart-count">${state.cartCount}</span></a>
${account}</header>
${notice}
<main>${body}</main>
</body>
</html>`
}

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

export function cartPage(lines: { name: string; quantity: number }[]): string {
  if (lines.length === 0) return '<h1>Your cart</h1><p>Your cart is empty.</p>'
  let items = lines.map((line) => `<li>${e(line.name)} × ${line.quantity}</li>`).join('')
  return `<h1>Your cart</h1><ul>${items}</ul>`
}

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
