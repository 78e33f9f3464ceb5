/** What one proxy reported about the request it received: `proto` and `host`, when it said. */
export interface ForwardedElement {
  proto?: string
  host?: string
}

/**
 * Parses an RFC 7239 `Forwarded` header into its elements, one per proxy, the nearest proxy last:
 * `for=192.0.2.60;proto=https;host=shop.example, for=10.0.0.2`. Quoted values may hold `,` and
 * `;`. Parameters other than `proto` and `host` are skipped; a malformed pair is skipped too.
 */
export function parseForwarded(header: string): ForwardedElement[] {
  let elements: ForwardedElement[] = [{}]
  let pair = ''
  let quoted = false
  let take = () => {
    let equals = pair.indexOf('=')
    if (equals > 0) {
      let name = pair.slice(0, equals).trim().toLowerCase()
      let value = unquote(pair.slice(equals + 1).trim())
      let element = elements[elements.length - 1] as ForwardedElement
      if ((name === 'proto' || name === 'host') && element[name] === undefined) {
        element[name] = value
      }
    }
    pair = ''
  }
  for (let index = 0; index < header.length; index++) {
    let char = header[index] as string
    if (quoted && char === '\\') {
      pair += char + (header[index + 1] ?? '')
      index++
    } else if (char === '"') {
      quoted = !quoted
      pair += char
    } else if (!quoted && (char === ';' || char === ',')) {
      take()
      if (char === ',') elements.push({})
    } else {
      pair += char
    }
  }
  take()
  return elements
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value
  return value.slice(1, -1).replace(/\\(.)/g, '$1')
}
