export type { CsrfOptions, CsrfTokenProvider } from './lib/csrf.ts'
export { csrf, csrfSecretSchema } from './lib/csrf.ts'
export type { Exemption } from './lib/unsafe-request.ts'
