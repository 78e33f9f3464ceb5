import type { StandardSchemaV1 } from '@standard-schema/spec'

/** Schemas for session keys: one Standard Schema (a zod schema, say) per key. */
export type KeySchemas = Record<string, StandardSchemaV1>

/**
 * Optional schemas for what a session holds: `values` for `set`, `flash` for `flash`. Keys without
 * a schema are refused by `set`/`flash` and dropped on read.
 */
export interface SessionSchema<
  Values extends KeySchemas = KeySchemas,
  Flash extends KeySchemas = KeySchemas,
> {
  /** A schema per value key. */
  values?: Values
  /** A schema per flash key. */
  flash?: Flash
}

/** The data type a set of key schemas describes. */
export type InferData<Schemas> = Schemas extends KeySchemas
  ? { [Key in keyof Schemas]: StandardSchemaV1.InferOutput<Schemas[Key]> }
  : Record<string, unknown>

/** Thrown by `session.set()` and `session.flash()` for a value its schema refuses. */
export class SessionValueError extends TypeError {
  /** The key whose value was refused. */
  readonly key: string
  /** What the schema found wrong. */
  readonly issues: readonly StandardSchemaV1.Issue[]

  constructor(key: string, issues: readonly StandardSchemaV1.Issue[]) {
    let detail = issues.map((issue) => issue.message).join('; ')
    super(`Invalid session value for "${key}": ${detail}`)
    this.name = 'SessionValueError'
    this.key = key
    this.issues = issues
  }
}

/**
 * Validates one value synchronously against the schema for `key`, returning the schema's output.
 *
 * @throws {SessionValueError} when the value fails, the key has no schema, or the schema is async.
 */
export function checkValue(schemas: KeySchemas, key: string, value: unknown): unknown {
  let schema = Object.hasOwn(schemas, key) ? schemas[key] : undefined
  if (schema === undefined) {
    throw new SessionValueError(key, [{ message: 'no schema for this key' }])
  }
  let result = schema['~standard'].validate(value)
  if (result instanceof Promise) {
    throw new SessionValueError(key, [{ message: 'async schemas are not supported' }])
  }
  if (result.issues) throw new SessionValueError(key, result.issues)
  return result.value
}

/**
 * The entries of `data` that pass their schemas (outputs kept), and whether any failed or had no
 * schema. Never throws.
 */
export async function filterValid(
  schemas: KeySchemas | undefined,
  data: Record<string, unknown>,
): Promise<{ valid: Record<string, unknown>; rejected: boolean }> {
  if (schemas === undefined) return { valid: data, rejected: false }
  let valid: Record<string, unknown> = {}
  let rejected = false
  for (let [key, value] of Object.entries(data)) {
    let schema = Object.hasOwn(schemas, key) ? schemas[key] : undefined
    let result = schema ? await schema['~standard'].validate(value) : undefined
    if (result && !result.issues) valid[key] = result.value
    else rejected = true
  }
  return { valid, rejected }
}
