export type { ContextRouter } from './lib/context-router.ts'
export type {
  Action,
  ActionObject,
  Context,
  Controller,
  PatternOf,
  RequestHandler,
  RouteTarget,
} from './lib/controller.ts'
export { createAction, createController } from './lib/controller.ts'
export type { HrefArgs, HrefOptions, HrefParamValue, HrefSearchParams } from './lib/href.ts'
export { createHref } from './lib/href.ts'
export type { HttpErrorOptions } from './lib/http-error.ts'
export { HttpError } from './lib/http-error.ts'
export type { Middleware, NextFunction, ProvidedBy } from './lib/middleware.ts'
export { createMiddleware } from './lib/middleware.ts'
export type { Params } from './lib/params.ts'
export type {
  AnyParams,
  ContextKey,
  ContextValue,
  GetContextValue,
  SetContextOptions,
} from './lib/request-context.ts'
export { createContextKey, RequestContext } from './lib/request-context.ts'
export type { RequestMethod } from './lib/request-methods.ts'
export { isRequestMethod, RequestMethods } from './lib/request-methods.ts'
export { escapeHtml, html, json, redirect, text } from './lib/response-helpers.ts'
export type { RouteBuilder } from './lib/route-builder.ts'
export type { Router } from './lib/router.ts'
export { createRouter } from './lib/router.ts'
export type { RouterOptions } from './lib/router-options.ts'
