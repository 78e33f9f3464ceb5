import { serveExpressCounter } from './express-app.ts'

// express 5 + express-session with its default MemoryStore.
serveExpressCounter(undefined)
