export type {
  LazySessionMiddlewareOptions,
  SessionLoader,
  SessionMiddlewareOptions,
} from './lib/session-middleware.ts'
export { session } from './lib/session-middleware.ts'
