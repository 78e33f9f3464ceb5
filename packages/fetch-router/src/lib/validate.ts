import type { StandardSchemaV1 } from '@standard-schema/spec'
import { HttpError } from './http-error.ts'
import type { Middleware } from './middleware.ts'
import { readBody } from './read-body.ts'
import { createContextKey, type RequestContext } from './request-context.ts'

/**
 * Schemas for the parts of a request to validate. Any Standard Schema works: zod 4, valibot,
 * arktype. Give `json` or `form`, not both.
 */
export interface RequestSchemas {
  /** For `context.params`: an object of strings (coerce to get numbers). */
  params?: StandardSchemaV1
  /**
   * For the query string, as an object: a key sent once is a string, a key sent several times an
   * array of strings.
   */
  search?: StandardSchemaV1
  /** For a JSON body. Requires `Content-Type: application/json` (or `+json`), else `415`. */
  json?: StandardSchemaV1
  /**
   * For a form body (`application/x-www-form-urlencoded` or `multipart/form-data`, else `415`),
   * as an object like `search`, where file fields are `File`s.
   */
  form?: StandardSchemaV1
}

/** Options for {@link validate}. */
export interface ValidateOptions {
  /** The largest body read, in bytes; a larger one gets `413`. Default `1_048_576` (1 MiB). */
  maxBodySize?: number
}

/** The validated values `validate()` installs as `context.valid`, by part. */
export type ValidatedValues<Schemas extends RequestSchemas> = {
  [Part in keyof Schemas]: Schemas[Part] extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<Schemas[Part]>
    : never
}

/** Where in the request a validation problem was found. */
export type RequestPart = keyof RequestSchemas

/** One validation problem: where it is, the path inside that part, and what is wrong. */
export interface ValidationIssue {
  /** The part of the request: `params`, `search`, `json` or `form`. */
  in: RequestPart
  /** The keys leading to the bad value; empty for the part as a whole. */
  path: (string | number)[]
  /** What is wrong, from the schema library. */
  message: string
}

/**
 * A `400 Bad Request` listing every validation problem of a request. Its response body is JSON:
 * `{ "error": "Invalid request", "issues": [{ "in", "path", "message" }] }`.
 */
export class ValidationError extends HttpError {
  /** Every problem found, in every part validated. */
  readonly issues: ValidationIssue[]

  constructor(issues: ValidationIssue[], message = 'Invalid request') {
    super(400, message)
    this.name = 'ValidationError'
    this.issues = issues
  }

  override toResponse(): Response {
    return Response.json(
      { error: this.message, issues: this.issues },
      { status: this.status, headers: this.headers },
    )
  }
}

const Validated = createContextKey<Record<string, unknown>>()

/**
 * Middleware that validates the parts of a request named in `schemas` and installs the parsed,
 * typed values as `context.valid` (`context.valid.json`, `context.valid.params`, …). A request that
 * fails gets a `400` JSON body listing every problem (see {@link ValidationError}); invalid JSON
 * is a `400` too, a wrong `Content-Type` a `415`, a body over `maxBodySize` a `413`. The body is
 * consumed: read it from `context.valid`, not from the request.
 *
 * @example
 * router.post('/books/:id', {
 *   middleware: [validate({ params: z.object({ id: z.coerce.number() }), json: Book })],
 *   handler: ({ valid }) => json({ id: valid.params.id, title: valid.json.title }),
 * })
 * @throws {TypeError} at creation when both `json` and `form` are given.
 */
export function validate<const Schemas extends RequestSchemas>(
  schemas: Schemas,
  options: ValidateOptions = {},
): Middleware<{ readonly valid: ValidatedValues<Schemas> }> {
  if (schemas.json !== undefined && schemas.form !== undefined) {
    throw new TypeError('validate(): give a `json` or a `form` schema, not both')
  }
  let maxBodySize = options.maxBodySize ?? 1_048_576
  return async function validateRequest(context, next) {
    let values: Record<string, unknown> = { ...context.get(Validated) }
    let issues: ValidationIssue[] = []
    let check = async (part: RequestPart, input: () => unknown | Promise<unknown>) => {
      let schema = schemas[part]
      if (schema === undefined) return
      let result = await schema['~standard'].validate(await input())
      if (result.issues === undefined) values[part] = result.value
      else issues.push(...result.issues.map((issue) => toIssue(part, issue)))
    }
    await check('params', () => context.params)
    await check('search', () => toObject(context.url.searchParams))
    await check('json', () => readJson(context, maxBodySize))
    await check('form', () => readForm(context, maxBodySize))
    if (issues.length > 0) throw new ValidationError(issues)
    context.set(Validated, values, { property: 'valid' })
    return next()
  }
}

async function readJson(context: RequestContext, limit: number): Promise<unknown> {
  let type = mediaType(context)
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(415, 'Unsupported Media Type: expected Content-Type application/json')
  }
  let text = new TextDecoder().decode(await readBody(context.request, limit))
  try {
    return JSON.parse(text)
  } catch (error) {
    let message = error instanceof SyntaxError ? error.message : 'Malformed JSON'
    throw new ValidationError([{ in: 'json', path: [], message }], 'Invalid JSON body')
  }
}

async function readForm(context: RequestContext, limit: number): Promise<unknown> {
  let type = mediaType(context)
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    throw new HttpError(
      415,
      'Unsupported Media Type: expected Content-Type application/x-www-form-urlencoded or multipart/form-data',
    )
  }
  let body = await readBody(context.request, limit)
  let contentType = context.headers.get('Content-Type') as string
  try {
    return toObject(
      await new Response(body, { headers: { 'Content-Type': contentType } }).formData(),
    )
  } catch {
    throw new ValidationError(
      [{ in: 'form', path: [], message: 'Malformed form body' }],
      'Invalid form body',
    )
  }
}

function mediaType(context: RequestContext): string {
  let header = context.headers.get('Content-Type') ?? ''
  return (header.split(';')[0] as string).trim().toLowerCase()
}

function toObject(entries: URLSearchParams | FormData): Record<string, unknown> {
  let object: Record<string, unknown> = Object.create(null)
  for (let [key, value] of entries) {
    let existing = object[key]
    if (existing === undefined) object[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else object[key] = [existing, value]
  }
  return object
}

function toIssue(part: RequestPart, issue: StandardSchemaV1.Issue): ValidationIssue {
  let path = (issue.path ?? []).map((segment) => {
    let key = typeof segment === 'object' ? segment.key : segment
    return typeof key === 'number' ? key : String(key)
  })
  return { in: part, path, message: issue.message }
}
