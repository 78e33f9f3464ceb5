/**
 * A hash of `text`'s length, its first `head` characters and its last `tail` characters (each
 * character once, all of them in a shorter text), as an integer below 2³⁰, which V8 keeps unboxed:
 * a `Map` key that costs `head + tail` character reads. `head` defaults to none.
 *
 * The caches of cookie values (a cookie storage's of the values it parsed with this hash, a
 * cookie's of the values it verified and wrote with {@link tailHash}) key their entries with a
 * number rather than with the value or a string cut from it: Node 26's V8 adds a string used to
 * look up or fill a `Map` to its string table, which is dear for a string it has not seen, and
 * every save writes a cookie value never seen before. Measured when both keyed by this hash of 43
 * characters (one core, a new 150-character value per lookup): a `Map.get` keyed by the last 43
 * characters as a string took 330-420 ns on Node 26.12 against 70 ns on Node 24.22, keyed by the
 * hash about 90 ns on both; a cookie's parse and serialize of each value it wrote, 0.13-0.33 µs
 * less on Node 26.12, the same on Node 24. Texts with equal keys are told apart by the caller,
 * which compares the whole text.
 */
export function edgeHash(text: string, tail: number, head = 0): number {
  let length = text.length
  let headEnd = Math.min(head, length)
  let hash = mixed(Math.imul(length, 0x9e3779b1), text, 0, headEnd)
  return finished(mixed(hash, text, Math.max(length - tail, headEnd), length))
}

/**
 * A hash of `text`'s last `tail` characters alone (all of a shorter text), as an integer below
 * 2³⁰, like {@link edgeHash} but without the length: every text ending with the same `tail`
 * characters has it. So the key of a text joined from parts can be made from its last part (a
 * signature) without reading the joined text, which V8 would first copy into one string: a
 * cookie's cache of the values it verified and wrote keys them with it.
 */
export function tailHash(text: string, tail: number): number {
  return finished(mixed(0x811c9dc5, text, Math.max(text.length - tail, 0), text.length))
}

/** `hash` with the characters of `text` from `start` to `end` (excluded) mixed in, in order. */
function mixed(hash: number, text: string, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  }
  return hash
}

function finished(hash: number): number {
  return (hash ^ (hash >>> 15)) & 0x3fffffff
}
