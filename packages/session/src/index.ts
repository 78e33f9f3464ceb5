export type {
  ServerSessionStorage,
  ServerStorageOptions,
  SessionDataStore,
  TypedSessionStorage,
} from './lib/server-storage.ts'
export { createSessionStorage } from './lib/server-storage.ts'
export type { Data, SessionData, SessionOptions } from './lib/session.ts'
export { createSession, Session } from './lib/session.ts'
export { createSessionId, isSessionId } from './lib/session-id.ts'
export type { ExpiryOptions } from './lib/session-lifetime.ts'
export type { InvalidDataPolicy } from './lib/session-record.ts'
export type { InferData, KeySchemas, SessionSchema } from './lib/session-schema.ts'
export { SessionValueError } from './lib/session-schema.ts'
export type { SessionStorage } from './lib/session-storage.ts'
export type { SessionStorageOptions } from './lib/storage-rules.ts'
