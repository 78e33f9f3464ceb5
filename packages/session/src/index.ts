export type { CommitSessionOptions } from './lib/commit-session.ts'
export { commitSession } from './lib/commit-session.ts'
export type { ResponseSource } from './lib/response-copy.ts'
export type {
  ServerSessionStorage,
  ServerStorageOptions,
  TypedSessionStorage,
} from './lib/server-storage.ts'
export { createSessionStorage } from './lib/server-storage.ts'
export type { Data, SessionData, SessionOptions } from './lib/session.ts'
export { createSession, Session } from './lib/session.ts'
export type { SessionDataStore } from './lib/session-data-store.ts'
export { createSessionId, isSessionId } from './lib/session-id.ts'
export type { ExpiryOptions } from './lib/session-lifetime.ts'
export type { InvalidDataPolicy } from './lib/session-record.ts'
export type {
  FlashSchemas,
  InferData,
  InputData,
  KeySchemas,
  OnlySchemaKeys,
  SchemaInputs,
  SessionSchema,
  ValueSchemas,
} from './lib/session-schema.ts'
export { SessionValueError } from './lib/session-schema.ts'
export type { SessionStorage } from './lib/session-storage.ts'
export { SessionStorageError } from './lib/session-storage-error.ts'
export type { ChangedKey } from './lib/session-too-large-error.ts'
export { SessionTooLargeError } from './lib/session-too-large-error.ts'
export { SessionUserError } from './lib/session-user-error.ts'
export type { SessionStorageOptions } from './lib/storage-rules.ts'
export type { ListUserSessionsOptions, UserSession } from './lib/user-sessions.ts'
