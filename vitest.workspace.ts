import type { TestProjectInlineConfiguration } from 'vitest/config'

/** The one list of test projects; `vitest.config.ts` runs them all. */
export const projects: TestProjectInlineConfiguration[] = [
  {
    test: {
      name: 'fetch-router',
      root: './packages/fetch-router',
      include: ['src/**/*.test.ts'],
    },
  },
  {
    test: {
      name: 'session',
      root: './packages/session',
      include: ['src/**/*.test.ts'],
    },
  },
  {
    test: {
      name: 'examples',
      root: './examples',
      include: ['*/**/*.test.ts'],
      exclude: ['**/node_modules/**'],
    },
  },
  {
    test: {
      name: 'test-kit',
      root: './tools/test-kit',
      include: ['*.test.ts'],
    },
  },
  {
    test: {
      name: 'docs',
      root: './docs',
      include: ['*.test.ts'],
    },
  },
]
