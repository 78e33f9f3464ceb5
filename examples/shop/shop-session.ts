import type { Session } from '@x/session'
import type { ShopFlash, ShopValues } from './session-config.ts'
import type { PageState } from './views.ts'

/** A request's session in the shop, typed from the schema. */
export type ShopSession = Session<ShopValues, ShopFlash>

/** What the header of every page shows for `session`: who is signed in, the cart, a notice. */
export function pageState(session: ShopSession): PageState {
  let cart = session.get('cart') ?? []
  return {
    user: session.get('user'),
    cartCount: cart.reduce((total, line) => total + line.quantity, 0),
    notice: session.get('notice'),
  }
}
