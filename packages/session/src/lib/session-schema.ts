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

/**
 * The value schemas of a {@link SessionSchema} type (`typeof schema`): its `values`, or any keys
 * when it names none.
 */
export type ValueSchemas<Schema> = Schema extends { values?: infer Values extends KeySchemas }
  ? Values
  : KeySchemas

/**
 * The flash schemas of a {@link SessionSchema} type (`typeof schema`): its `flash`, or any keys
 * when it names none.
 */
export type FlashSchemas<Schema> = Schema extends { flash?: infer Flash extends KeySchemas }
  ? Flash
  : KeySchemas

/**
 * Refuses every key of a schema other than `values` and `flash` (a misspelled `value`, say): such
 * a key's type is a message no value matches, which the type error quotes. A type only, for the
 * `schema` option of the storages.
 */
export type OnlySchemaKeys<Schema> = {
  [Key in Exclude<
    keyof Schema,
    keyof SessionSchema
  >]: 'Error: a session schema has only `values` and `flash`'
}

declare const inputTypes: unique symbol

/**
 * Where {@link InferData} keeps the types `set` and `flash` accept (each schema's input): under a
 * symbol key, so never one of the data's string keys, and optional, so a plain object of the
 * output types still fits. A type only: no value ever has it.
 */
// A type alias, not an interface: object literal types fit `Record<string, unknown>`.
export type SchemaInputs<Inputs> = { readonly [inputTypes]?: Inputs }

/**
 * The data type a set of key schemas describes: each key's schema OUTPUT, which `get` returns. It
 * also records each schema's INPUT (see {@link SchemaInputs}), which `set` and `flash` accept. The
 * two differ for schemas that transform (`z.string().transform(Number)`: set a string, get a
 * number) or have a default (`z.number().default(0)`: the input may be `undefined`).
 */
export type InferData<Schemas> = Schemas extends KeySchemas
  ? { [Key in keyof Schemas]: StandardSchemaV1.InferOutput<Schemas[Key]> } & SchemaInputs<{
      [Key in keyof Schemas]: StandardSchemaV1.InferInput<Schemas[Key]>
    }>
  : Record<string, unknown>

/**
 * The types `set` and `flash` accept for session data typed `Data`: the schemas' inputs for data
 * from {@link InferData}, else `Data` itself (data typed by hand is its own input).
 */
export type InputData<Data> =
  Data extends SchemaInputs<infer Inputs>
    ? unknown extends Inputs
      ? Data
      : Exclude<Inputs, undefined>
    : Data

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
