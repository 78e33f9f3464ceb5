import { del, form, get, post, route } from '@x/fetch-router/routes'

/** Every URL of the shop, named: handlers are mapped to them and links are built from them. */
export const routes = route({
  home: get('/'),
  login: form('/login'),
  logout: post('/logout'),
  account: {
    sessions: {
      show: get('/account/sessions'),
      end: post('/account/sessions/end'),
      endAll: post('/account/sessions/end-all'),
    },
  },
  cart: {
    show: get('/cart'),
    add: post('/cart/items'),
  },
  locale: {
    show: get('/api/locale'),
    update: post('/api/locale'),
    reset: del('/api/locale'),
  },
})
