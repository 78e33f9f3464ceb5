export type { CrossOriginOptions } from './lib/cross-origin.ts'
export { crossOrigin } from './lib/cross-origin.ts'
export type { Exemption } from './lib/unsafe-request.ts'
