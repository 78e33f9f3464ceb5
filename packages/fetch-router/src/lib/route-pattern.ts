/**
 * One piece of a parsed route pattern: static text, a `:param`, a `*wildcard` (named or not) or an
 * optional group `( … )` holding more tokens. `index` is where a param or wildcard starts in the
 * pattern source (its `:` or `*`), for error messages.
 */
export type PatternToken =
  | { type: 'text'; value: string }
  | { type: 'param'; name: string; index: number }
  | { type: 'wildcard'; name: string | undefined; index: number }
  | { type: 'optional'; tokens: PatternToken[] }

/** A pattern with every optional group decided: static text, params and at most one wildcard. */
export type PatternVariant = Exclude<PatternToken, { type: 'optional' }>[]

const maxVariants = 256
const nameStart = /[A-Za-z_$]/
const nameRest = /[A-Za-z0-9_$]/

/**
 * Parses a pathname pattern such as `/users/:id(/*rest)` into tokens. A leading `/` is optional.
 *
 * @throws {TypeError} naming the problem and its index when the pattern is malformed.
 */
export function parsePattern(source: string): PatternToken[] {
  if (typeof source !== 'string') {
    throw new TypeError(`A route pattern must be a string, got ${typeof source}`)
  }
  let index = source.startsWith('/') ? 1 : 0
  let fail = (problem: string, at = index): never => {
    throw new TypeError(`Invalid route pattern "${source}": ${problem} at index ${at}`)
  }
  let stack: PatternToken[][] = [[]]
  let openedAt: number[] = []
  let text = ''
  let current = () => stack[stack.length - 1] as PatternToken[]
  let flushText = () => {
    if (text !== '') current().push({ type: 'text', value: text })
    text = ''
  }
  let readName = (): string => {
    let start = index
    if (index < source.length && nameStart.test(source[index] as string)) {
      index++
      while (index < source.length && nameRest.test(source[index] as string)) index++
    }
    return source.slice(start, index)
  }

  while (index < source.length) {
    let char = source[index] as string
    if (char === '\\') {
      if (index + 1 >= source.length) fail('a trailing "\\" escapes nothing')
      let escaped = source[index + 1] as string
      // An escaped "/" or "%" is data, kept percent-encoded so that "/" stays the only separator.
      text += escaped === '/' ? '%2F' : escaped === '%' ? '%25' : escaped
      index += 2
    } else if (char === ':') {
      flushText()
      let start = index++
      let name = readName()
      if (name === '') fail('":" must be followed by a param name', start)
      current().push({ type: 'param', name, index: start })
    } else if (char === '*') {
      flushText()
      let start = index++
      let name = readName()
      current().push({ type: 'wildcard', name: name === '' ? undefined : name, index: start })
    } else if (char === '(') {
      flushText()
      openedAt.push(index)
      stack.push([])
      index++
    } else if (char === ')') {
      flushText()
      if (stack.length === 1) fail('")" closes no optional group')
      let tokens = stack.pop() as PatternToken[]
      let start = openedAt.pop() as number
      if (tokens.length === 0) fail('an optional group is empty', start)
      current().push({ type: 'optional', tokens })
      index++
    } else if (char === '?' || char === '#') {
      fail(`"${char}" is not allowed in a pathname pattern (escape it as "\\${char}")`)
    } else {
      text += char
      index++
    }
  }
  flushText()
  if (stack.length > 1) fail('an optional group is never closed', openedAt[openedAt.length - 1])
  return stack[0] as PatternToken[]
}

/**
 * Expands the optional groups of a parsed pattern into every concrete variant, merging adjacent
 * text, and checks the rules that keep matching linear: at most one wildcard per variant, and every
 * param and wildcard followed by `/`, `.` or the end of the pattern (`*file-:x` or `*:id` would
 * let two quantifiers compete for the same characters, and a lookup backtrack quadratically).
 *
 * @throws {TypeError} when a variant breaks a rule or there are more than 256 variants.
 */
export function expandVariants(source: string, tokens: PatternToken[]): PatternVariant[] {
  let variants: PatternVariant[] = [[]]
  let expand = (list: PatternToken[], into: PatternVariant[]): PatternVariant[] => {
    for (let token of list) {
      if (token.type === 'optional') {
        into = [
          ...into,
          ...expand(
            token.tokens,
            into.map((variant) => [...variant]),
          ),
        ]
        if (into.length > maxVariants) {
          throw new TypeError(
            `Invalid route pattern "${source}": more than ${maxVariants} combinations of optional groups`,
          )
        }
      } else {
        for (let variant of into) pushToken(variant, token)
      }
    }
    return into
  }
  variants = expand(tokens, variants)
  let seen = new Set<string>()
  let unique: PatternVariant[] = []
  for (let variant of variants) {
    checkVariant(source, variant)
    // Variants that match the same URLs (`(/:a)(/:b)` gives `/:a` and `/:b`): the first one wins.
    let key = shapeOf(variant)
    if (!seen.has(key)) {
      seen.add(key)
      unique.push(variant)
    }
  }
  return unique
}

function pushToken(variant: PatternVariant, token: PatternVariant[number]): void {
  let last = variant[variant.length - 1]
  if (token.type === 'text' && last?.type === 'text') {
    variant[variant.length - 1] = { type: 'text', value: last.value + token.value }
  } else {
    variant.push(token)
  }
}

function checkVariant(source: string, variant: PatternVariant): void {
  let wildcards = 0
  for (let [position, token] of variant.entries()) {
    if (token.type === 'text') continue
    if (token.type === 'wildcard' && ++wildcards > 1) {
      throw new TypeError(
        `Invalid route pattern "${source}": a pattern may hold one wildcard; use a param for the other parts (at index ${token.index})`,
      )
    }
    let next = variant[position + 1]
    if (next !== undefined && !(next.type === 'text' && /^[/.]/.test(next.value))) {
      let what =
        token.type === 'param' ? `param ":${token.name}"` : `wildcard "*${token.name ?? ''}"`
      throw new TypeError(
        `Invalid route pattern "${source}": ${what} must be followed by "/", "." or the end of the pattern (at index ${token.index})`,
      )
    }
  }
}

/** A variant's shape: its text with every param written `:` and every wildcard `*`. */
function shapeOf(variant: PatternVariant): string {
  let out = ''
  for (let token of variant) {
    if (token.type === 'text') out += token.value.replace(/[\\:*]/g, '\\$&')
    else out += token.type === 'param' ? ':' : '*'
  }
  return out
}

/** Every param name of a pattern, in order of appearance, optional ones included. */
export function collectParamNames(tokens: PatternToken[], into: string[] = []): string[] {
  for (let token of tokens) {
    if (token.type === 'optional') collectParamNames(token.tokens, into)
    else if (token.type !== 'text' && token.name !== undefined && !into.includes(token.name)) {
      into.push(token.name)
    }
  }
  return into
}

/**
 * Joins a prefix pattern and a child pattern with exactly one `/` between them: `('/users', '/:id')`
 * gives `/users/:id`, and a child of `/` or `''` gives the prefix itself. The result starts with `/`.
 */
export function joinPatterns(prefix: string, child: string): string {
  let head = trimSlashes(prefix, 'end')
  let tail = trimSlashes(child, 'start')
  if (tail === '') return head === '' ? '/' : `/${head}`
  return head === '' ? `/${tail}` : `/${head}/${tail}`
}

function trimSlashes(pattern: string, side: 'start' | 'end'): string {
  let result = pattern.startsWith('/') ? pattern.slice(1) : pattern
  if (side === 'end' && result.endsWith('/') && !isEscaped(result, result.length - 1)) {
    result = result.slice(0, -1)
  }
  return result
}

function isEscaped(source: string, index: number): boolean {
  let backslashes = 0
  while (source[index - 1 - backslashes] === '\\') backslashes++
  return backslashes % 2 === 1
}
