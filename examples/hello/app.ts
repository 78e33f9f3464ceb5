import { createAction, createRouter, escapeHtml, HttpError, html, json } from '@x/fetch-router'
import { resources, route } from '@x/fetch-router/routes'
import { validate } from '@x/fetch-router/validate'
import { z } from 'zod'

/** Every URL of the app, named: handlers are mapped to them and links are built from them. */
export const routes = route({
  home: { method: 'GET', pattern: '/' },
  books: resources('/books', { only: ['index', 'show', 'create'] }),
  health: { method: 'GET', pattern: '/health' },
})

interface Book {
  id: number
  title: string
}

const books = new Map<number, Book>([
  [1, { id: 1, title: 'The Pragmatic Programmer' }],
  [2, { id: 2, title: 'Structure and Interpretation of Computer Programs' }],
])

// Validation middleware is made once, outside the route, so its types reach the handler.
const bookId = validate({ params: z.object({ id: z.coerce.number().int().positive() }) })
const newBook = validate({ json: z.object({ title: z.string().trim().min(1).max(200) }) })

export const router = createRouter()

router.map(routes.home, () => {
  let items = [...books.values()]
    .map((book) => {
      let href = routes.books.show.href({ id: book.id })
      return `<li><a href="${href}">${escapeHtml(book.title)}</a></li>`
    })
    .join('')
  return html(`<!doctype html><title>Books</title><h1>Books</h1><ul>${items}</ul>`)
})

// An action with its own middleware, typed by createAction, fits in a controller.
const showBook = createAction(routes.books.show, {
  middleware: [bookId],
  handler({ valid }) {
    let book = books.get(valid.params.id)
    if (book === undefined) throw new HttpError(404, `No book ${valid.params.id}`)
    return json(book)
  },
})

const createBook = createAction(routes.books.create, {
  middleware: [newBook],
  handler({ valid }) {
    let book = { id: books.size + 1, title: valid.json.title }
    books.set(book.id, book)
    let location = routes.books.show.href({ id: book.id })
    return json(book, { status: 201, headers: { Location: location } })
  },
})

router.map(routes.books, {
  actions: {
    index: () => json([...books.values()]),
    show: showBook,
    create: createBook,
  },
})

router.map(routes.health, () => json({ ok: true }))
