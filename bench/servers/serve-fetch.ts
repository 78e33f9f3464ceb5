import { serve } from '@hono/node-server'
import { announce, onShutdown, port } from './lifecycle.ts'

/**
 * Serves a Fetch API handler on Node with `@hono/node-server` (which replaces the global
 * `Request` and `Response` with its lighter ones, as its users get by default), announces the
 * port, and runs `close` at shutdown.
 */
export function serveFetch(
  fetch: (request: Request) => Response | Promise<Response>,
  close?: () => unknown,
): void {
  serve({ fetch: (request) => fetch(request), port }, (info) => announce(info.port))
  onShutdown(close)
}
