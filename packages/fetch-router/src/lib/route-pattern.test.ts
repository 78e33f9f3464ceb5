import { describe, expect, it } from 'vitest'
import { joinPatterns, type PatternToken, parsePattern } from './route-pattern.ts'
import { createRouter } from './router.ts'

/**
 * `[prefix, child, joined]`: what `joinPatterns` returns. The type test
 * (`route-pattern.test-d.ts`) checks `JoinPatterns` against the same rows, so the type and the
 * runtime cannot drift apart.
 */
export const joinCases = [
  ['/', '/', '/'],
  ['', '', '/'],
  ['/', '/books', '/books'],
  ['/users', '/:id', '/users/:id'],
  ['/users/', '/:id', '/users/:id'],
  ['users', ':id', '/users/:id'],
  ['/users', '/', '/users'],
  ['/users', '', '/users'],
  ['/api/', '/v1/', '/api/v1/'],
  ['/orgs/:org', '/repos/:repo(/*rest)', '/orgs/:org/repos/:repo(/*rest)'],
  // An escaped slash is text, not a separator: it is kept, and the child gets its own `/`.
  ['/a\\/', '/b', '/a\\//b'],
  ['/a\\/', '/', '/a\\/'],
  // An escaped backslash escapes nothing after it: the slash is a separator again.
  ['/a\\\\/', '/b', '/a\\\\/b'],
] as const

/**
 * `[pattern, params]`: the params a pattern captures, `'required'` or `'optional'` (inside an
 * optional group, possibly `undefined`). The type test checks `Params` against the same rows.
 */
export const paramCases = [
  ['/about', {}],
  ['/users/:id/posts/:postId', { id: 'required', postId: 'required' }],
  ['/files/:name.:ext', { name: 'required', ext: 'required' }],
  ['/v:major/docs', { major: 'required' }],
  ['/files/*path', { path: 'required' }],
  ['/dl/*file.:ext', { file: 'required', ext: 'required' }],
  ['/assets/*', {}],
  [
    '/api(/v:major(.:minor))/:resource',
    { resource: 'required', major: 'optional', minor: 'optional' },
  ],
  ['/time/12\\:30/:zone', { zone: 'required' }],
  ['/\\*stars/:id', { id: 'required' }],
  // A name starts with a letter, `_` or `$` and goes on with those and digits.
  ['/files/*_1.:$x', { _1: 'required', $x: 'required' }],
  ['/$:_a1', { _a1: 'required' }],
] as const

/** What the parser makes of a pattern's params: required ones outside any optional group. */
function paramKinds(tokens: PatternToken[], optional = false, into: Record<string, string> = {}) {
  for (let token of tokens) {
    if (token.type === 'optional') paramKinds(token.tokens, true, into)
    else if (token.type !== 'text' && token.name !== undefined) {
      if (!optional || into[token.name] === undefined)
        into[token.name] = optional ? 'optional' : 'required'
    }
  }
  return into
}

describe('joinPatterns', () => {
  it.each(joinCases)('joins %j and %j as %j', (prefix, child, joined) => {
    expect(joinPatterns(prefix, child)).toBe(joined)
  })

  it('keeps an escaped slash of a mount prefix as text in the routed path', async () => {
    let router = createRouter()
    router.mount('/AC\\/', (band) => band.get('/DC', () => new Response('rock')))
    expect(await (await router.fetch('http://x.test/AC%2F/DC')).text()).toBe('rock')
    expect((await router.fetch('http://x.test/AC/DC')).status).toBe(404)
  })
})

describe('parsePattern', () => {
  it.each(paramCases)('finds the params of %j', (pattern, params) => {
    expect(paramKinds(parsePattern(pattern))).toEqual(params)
  })
})
