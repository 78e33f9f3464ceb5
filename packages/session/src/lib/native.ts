/**
 * The Node-compatible built-ins that Node, Bun and Deno all provide, when the runtime has them
 * (`process.getBuiltinModule`): synchronous HMAC, AES-GCM and base64url, several times faster than
 * Web Crypto's asynchronous calls. `undefined` elsewhere (a browser, a worker), where Web Crypto is
 * used instead. Described structurally, so the package's types need no Node types.
 */
export interface NativeCrypto {
  createHmac(algorithm: 'sha256', key: Uint8Array): NativeHmac
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean
  hkdfSync(
    digest: 'sha256',
    key: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): ArrayBuffer
  createCipheriv(algorithm: 'aes-256-gcm', key: Uint8Array, iv: Uint8Array): NativeCipher
  createDecipheriv(algorithm: 'aes-256-gcm', key: Uint8Array, iv: Uint8Array): NativeDecipher
}

interface NativeHmac {
  update(data: Uint8Array | string): {
    digest(): Uint8Array
    digest(encoding: 'base64url'): string
  }
}

interface NativeCipher {
  setAAD(data: Uint8Array): void
  update(data: Uint8Array): Uint8Array
  final(): Uint8Array
  getAuthTag(): Uint8Array
}

interface NativeDecipher {
  setAAD(data: Uint8Array): void
  setAuthTag(tag: Uint8Array): void
  update(data: Uint8Array): Uint8Array
  final(): Uint8Array
}

/** The parts of Node's `Buffer` used for base64url. */
export interface NativeBuffer {
  from(
    data: Uint8Array | string,
    encoding?: 'base64url' | 'utf8',
  ): Uint8Array & {
    toString(encoding: 'base64url' | 'utf8'): string
  }
}

type BuiltinLoader = (id: string) => unknown

const load = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process
  ?.getBuiltinModule

/** Node's `crypto` module where the runtime has one. */
export const nativeCrypto = load?.('node:crypto') as NativeCrypto | undefined

/** Node's `Buffer` where the runtime has one. */
export const NativeBuffer = (load?.('node:buffer') as { Buffer: NativeBuffer } | undefined)?.Buffer
