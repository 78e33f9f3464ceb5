/**
 * The Node-compatible built-ins that Node, Bun and Deno all provide, when the runtime has them
 * (`process.getBuiltinModule`): synchronous HMAC, AES-GCM and base64url, several times faster than
 * Web Crypto's asynchronous calls. `undefined` elsewhere (a browser, a worker), where Web Crypto is
 * used instead. Described structurally, so the package's types need no Node types.
 */
export interface NativeCrypto {
  /**
   * A key object for secret bytes (`KeyObject`). Made once and passed to `createHmac`,
   * `createCipheriv` and `createDecipheriv` instead of the bytes, it spares each call the checks
   * that tell a key's kind. Node, Bun and Deno have it, but it pays only on Node (see
   * {@link secretKey}); optional so that a runtime without it still works with the bytes.
   */
  createSecretKey?(key: Uint8Array): NativeSecretKey
  createHmac(algorithm: 'sha256', key: NativeKey): NativeHmac
  /**
   * A one-shot digest (`crypto.hash`: Node 20.12 and later 20s, 21.7 and later). Optional:
   * without it HMACs are made with `createHmac` (see `hmacSigner`).
   */
  hash?: NativeHash
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean
  hkdfSync(
    digest: 'sha256',
    key: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): ArrayBuffer
  createCipheriv(algorithm: 'aes-256-gcm', key: NativeKey, iv: Uint8Array): NativeCipher
  createDecipheriv(algorithm: 'aes-256-gcm', key: NativeKey, iv: Uint8Array): NativeDecipher
}

/** A `KeyObject` of type `'secret'`, opaque here: only ever handed back to Node's crypto. */
export interface NativeSecretKey {
  readonly type: 'secret'
}

/** A key as Node's crypto takes it: a key object made once, or raw bytes. */
export type NativeKey = NativeSecretKey | Uint8Array

/** `crypto.hash` with the encodings used here. */
export interface NativeHash {
  (algorithm: 'sha256', data: Uint8Array, outputEncoding: 'buffer'): Uint8Array
  (algorithm: 'sha256', data: Uint8Array, outputEncoding: 'base64url'): string
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

/** The parts of Node's `Buffer` used for base64url and HMACs. */
export interface NativeBuffer {
  /** A zero-filled buffer of `size` bytes. */
  alloc(size: number): NativeBytes
  from(
    data: Uint8Array | string,
    encoding?: 'base64url' | 'utf8',
  ): Uint8Array & {
    toString(encoding: 'base64url' | 'utf8'): string
  }
}

/** A Node `Buffer`, with what is used of it beyond `Uint8Array`. */
export interface NativeBytes extends Uint8Array {
  /** Writes `text` as UTF-8 from byte `offset` on (whole characters only); the bytes written. */
  write(text: string, offset: number): number
}

type BuiltinLoader = (id: string) => unknown

/** The parts of the runtime's globals looked at here (Node's `process`, Deno's namespace). */
interface RuntimeGlobals {
  process?: { getBuiltinModule?: BuiltinLoader; versions?: { bun?: string } }
  Deno?: unknown
}

const runtime = globalThis as RuntimeGlobals

const load = runtime.process?.getBuiltinModule

/**
 * Whether this runtime is neither Bun nor Deno, whose `node:crypto` is their own implementation
 * with costs of its own: what was measured to pay on Node (key objects, `hmacSigner`'s one-shot
 * digests) is not used there. In practice Node, the one other runtime found with `node:crypto`;
 * another such runtime gets the same results either way, only its speed may differ.
 */
export const onNode = runtime.Deno === undefined && runtime.process?.versions?.bun === undefined

/**
 * A key object (`createSecretKey`) for `bytes` on Node, else the bytes. With raw bytes Node's HMAC
 * and cipher calls check what kind of key they were given each time; a key object is recognised at
 * once. Measured per HMAC-SHA256 and AES-256-GCM seal of a cookie-sized value, key object against
 * raw bytes in interleaved rounds: on Node 22, 24 and 26 the key object saves 2–7%; Bun and Deno
 * are slower with it (HMAC 1–17%, Deno's AES-GCM 10–25%), so they are given the bytes.
 */
export function secretKey(native: NativeCrypto, bytes: Uint8Array): NativeKey {
  if (!onNode) return bytes
  return native.createSecretKey?.(bytes) ?? bytes
}

/** Node's `crypto` module where the runtime has one. */
export const nativeCrypto = load?.('node:crypto') as NativeCrypto | undefined

/** Node's `Buffer` where the runtime has one. */
export const NativeBuffer = (load?.('node:buffer') as { Buffer: NativeBuffer } | undefined)?.Buffer
