export type {
  RequestPart,
  RequestSchemas,
  ValidatedValues,
  ValidateOptions,
  ValidationIssue,
} from './lib/validate.ts'
export { ValidationError, validate } from './lib/validate.ts'
