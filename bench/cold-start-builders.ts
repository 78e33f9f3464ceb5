import { createRouter as createRemixRouter } from '@remix-run/fetch-router'
import { createRouter, type RequestMethod } from '@x/fetch-router'
import FindMyWay from 'find-my-way'
import { Hono } from 'hono'
import type { RouteSpec } from './github-routes.ts'

/**
 * Registers `routes` in a new router of one framework and gives a function that sends it one
 * request (the first request builds what a router builds lazily).
 */
export type ColdStartBuilder = (routes: readonly RouteSpec[]) => (url: string) => Promise<unknown>

const handler = () => new Response('ok')

/** One builder per framework of the cold-start benchmark; find-my-way, the baseline, first. */
export const coldStartBuilders: Record<string, ColdStartBuilder> = {
  'find-my-way': (routes) => {
    let router = FindMyWay()
    for (let [method, path] of routes) router.on(method as 'GET', path, handler)
    return async (url) => router.find('GET', new URL(url).pathname)
  },
  'ours (createRouter)': (routes) => {
    let router = createRouter()
    for (let [method, path] of routes) router.route(method as RequestMethod, path, handler)
    return (url) => router.fetch(new Request(url))
  },
  'hono (Hono app)': (routes) => {
    let app = new Hono()
    for (let [method, path] of routes) app.on(method, path, handler)
    return async (url) => app.fetch(new Request(url))
  },
  'remix fetch-router': (routes) => {
    let router = createRemixRouter()
    for (let [method, path] of routes) router.route(method as 'GET', path, handler)
    return (url) => router.fetch(new Request(url))
  },
}
