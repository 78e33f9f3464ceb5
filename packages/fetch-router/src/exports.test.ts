import { describe, expect, it } from 'vitest'
import * as crossOriginEntry from './cross-origin.ts'
import * as csrfEntry from './csrf.ts'
import * as main from './index.ts'
import * as routes from './routes.ts'
import * as sessionEntry from './session.ts'
import * as trustProxyEntry from './trust-proxy.ts'
import * as validate from './validate.ts'

// The public surface changes only on purpose: update these lists together with the README.
describe('package exports', () => {
  it('@x/fetch-router', () => {
    expect(Object.keys(main).sort()).toMatchInlineSnapshot(`
      [
        "HttpError",
        "RequestContext",
        "RequestMethods",
        "createAction",
        "createContextKey",
        "createController",
        "createHref",
        "createMiddleware",
        "createRouter",
        "escapeHtml",
        "html",
        "isRequestMethod",
        "json",
        "redirect",
        "text",
      ]
    `)
  })

  it('@x/fetch-router/routes', () => {
    expect(Object.keys(routes).sort()).toMatchInlineSnapshot(`
      [
        "RequestBodyMethods",
        "RequestMethods",
        "Route",
        "createDeleteRoute",
        "createFormRoutes",
        "createGetRoute",
        "createHeadRoute",
        "createOptionsRoute",
        "createPatchRoute",
        "createPostRoute",
        "createPutRoute",
        "createResourceRoutes",
        "createResourcesRoutes",
        "createRoutes",
        "del",
        "form",
        "get",
        "head",
        "options",
        "patch",
        "post",
        "put",
        "resource",
        "resources",
        "route",
      ]
    `)
  })

  it('@x/fetch-router/session', () => {
    expect(Object.keys(sessionEntry).sort()).toMatchInlineSnapshot(`
      [
        "session",
      ]
    `)
  })

  it('@x/fetch-router/validate', () => {
    expect(Object.keys(validate).sort()).toMatchInlineSnapshot(`
      [
        "ValidationError",
        "validate",
      ]
    `)
  })

  it('@x/fetch-router/cross-origin', () => {
    expect(Object.keys(crossOriginEntry).sort()).toMatchInlineSnapshot(`
      [
        "crossOrigin",
      ]
    `)
  })

  it('@x/fetch-router/csrf', () => {
    expect(Object.keys(csrfEntry).sort()).toMatchInlineSnapshot(`
      [
        "csrf",
        "csrfSecretSchema",
      ]
    `)
  })

  it('@x/fetch-router/trust-proxy', () => {
    expect(Object.keys(trustProxyEntry).sort()).toMatchInlineSnapshot(`
      [
        "remoteAddress",
        "trustProxy",
        "withRemoteAddress",
      ]
    `)
  })
})
