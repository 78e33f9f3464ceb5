const secretBytes = 32

/** A new CSRF secret: 32 random bytes from the platform's CSPRNG, as 64 lower-case hex digits. */
export function createCsrfSecret(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(secretBytes)))
}

/** Whether `text` has the form of a secret made by {@link createCsrfSecret}. */
export function isCsrfSecret(text: string): boolean {
  return text.length === secretBytes * 2 && /^[0-9a-f]+$/.test(text)
}

/**
 * A token for `secret`, different at every call: a fresh random mask followed by the secret XORed
 * with it, 128 hex digits. A page that repeats the token next to text an attacker controls thus
 * never compresses better for a right guess (BREACH), yet every token verifies.
 */
export function maskCsrfSecret(secret: string): string {
  let plain = fromHex(secret)
  let mask = crypto.getRandomValues(new Uint8Array(secretBytes))
  let masked = new Uint8Array(secretBytes)
  for (let index = 0; index < secretBytes; index++) {
    masked[index] = (plain[index] as number) ^ (mask[index] as number)
  }
  return toHex(mask) + toHex(masked)
}

/**
 * Whether `token` (from the client) unmasks to `secret`. The comparison runs over every byte,
 * whatever differs, so its time does not tell how much of a guess was right. Never throws.
 */
export function csrfTokenMatches(token: string, secret: string): boolean {
  if (token.length !== secretBytes * 4 || !/^[0-9a-fA-F]+$/.test(token)) return false
  let bytes = fromHex(token)
  let plain = fromHex(secret)
  let difference = 0
  for (let index = 0; index < secretBytes; index++) {
    let unmasked = (bytes[index] as number) ^ (bytes[index + secretBytes] as number)
    difference |= unmasked ^ (plain[index] as number)
  }
  return difference === 0
}

function toHex(bytes: Uint8Array): string {
  let text = ''
  for (let byte of bytes) text += byte.toString(16).padStart(2, '0')
  return text
}

function fromHex(text: string): Uint8Array {
  let bytes = new Uint8Array(text.length / 2)
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(text.slice(index * 2, index * 2 + 2), 16)
  }
  return bytes
}
