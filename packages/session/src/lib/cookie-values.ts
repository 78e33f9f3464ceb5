/**
 * The values of every cookie called `name` in a `Cookie` header, in header order: each pair's
 * value after `name=`, trimmed, unquoted when it is a quoted string (backslash escapes undone).
 * Pairs of other names are skipped without being parsed: a browser's header often carries a
 * dozen analytics and preference cookies, and parsing them all costs more than the HMAC of the
 * one we need (about 7 µs against 0.3 µs for a 1.3 KB header of 22 cookies, on Node 20).
 *
 * The same values `@remix-run/headers` gives for this name, with one difference: a `;` inside
 * another cookie's quoted value ends that pair here, so `a="x;sid=y"` yields a candidate `y"` for
 * `sid`. Candidates are only candidates: each must pass the signature check, and a client that can
 * plant such a value can plant a `sid` cookie directly.
 */
export function cookieValues(header: string, name: string): string[] {
  let values: string[] = []
  let start = 0
  while (start <= header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) end = header.length
    let at = start
    while (at < end && isSpace(header.charCodeAt(at))) at++
    if (header.startsWith(name, at)) {
      let equals = at + name.length
      while (equals < end && isSpace(header.charCodeAt(equals))) equals++
      if (header.charCodeAt(equals) === 61 /* = */)
        values.push(unquote(header.slice(equals + 1, end).trim()))
    }
    start = end + 1
  }
  return values
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9
}

function unquote(value: string): string {
  if (value.length < 2 || value.charCodeAt(0) !== 34 || value.charCodeAt(value.length - 1) !== 34) {
    return value
  }
  return value.slice(1, -1).replace(/\\(.)/g, '$1')
}
