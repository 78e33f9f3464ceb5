import { describe, expect, it } from 'vitest'
import { extractSamples } from './readme-samples.ts'

const readme = [
  '# A package',
  '',
  '```ts',
  "console.log('first')",
  '```',
  '',
  '```sh',
  'pnpm test',
  '```',
  '',
  '<!-- sample: typecheck-only -->',
  '```ts',
  'Bun.serve({ fetch: () => new Response() })',
  '```',
  '',
  '- In a list:',
  '',
  '  ```ts',
  "  const a = 'indented'",
  '    const b = a',
  '  ```',
].join('\n')

describe('extractSamples', () => {
  it('finds the ts blocks only, each with its README line, a file name and its mode', () => {
    expect(extractSamples('packages/a/README.md', readme)).toEqual([
      {
        readme: 'packages/a/README.md',
        line: 4,
        code: "console.log('first')\n",
        mode: 'run',
        file: 'packages-a-README-md-1.ts',
      },
      {
        readme: 'packages/a/README.md',
        line: 13,
        code: 'Bun.serve({ fetch: () => new Response() })\n',
        mode: 'typecheck-only',
        file: 'packages-a-README-md-2.ts',
      },
      {
        readme: 'packages/a/README.md',
        line: 19,
        code: "const a = 'indented'\n  const b = a\n",
        mode: 'run',
        file: 'packages-a-README-md-3.ts',
      },
    ])
  })

  it('refuses an unknown marker, so a typo cannot keep a sample from running', () => {
    let misspelt = '<!-- sample: typecheck -->\n```ts\nlet a = 1\n```\n'
    expect(() => extractSamples('README.md', misspelt)).toThrow(
      new TypeError('README.md:1: unknown marker <!-- sample: typecheck -->'),
    )
  })
})
