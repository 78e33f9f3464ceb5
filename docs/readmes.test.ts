import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { runChild } from './child-process.ts'
import { readmeSamples, type Sample } from './readme-samples.ts'

const docs = fileURLToPath(new URL('.', import.meta.url))
const root = path.dirname(docs.replace(/\/$/, ''))
const folder = path.join(docs, '.samples')
const samples = readmeSamples(root)
const runnable = samples.filter((sample) => sample.mode === 'run')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/** What the samples find in their environment: a session secret, and the Redis the tests use. */
const sampleEnv = {
  ...process.env,
  SESSION_SECRET: 'a-test-secret-of-at-least-32-characters',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  NODE_OPTIONS: '',
}

/** Where a sample (or a line of it) is in its README. */
function where(sample: Sample, lineInSample = 1): string {
  return `${sample.readme}:${sample.line + lineInSample - 1}`
}

/** tsc's messages with each sample file's position replaced by the README's. */
function inReadmes(output: string): string {
  let byFile = new Map(samples.map((sample) => [sample.file, sample]))
  return output.replace(/^([\w.-]+\.ts)\((\d+),(\d+)\)/gm, (match, file: string, line: string) => {
    let sample = byFile.get(file)
    return sample ? `${where(sample, Number(line))} (${file})` : match
  })
}

beforeAll(() => {
  fs.rmSync(folder, { recursive: true, force: true })
  fs.mkdirSync(folder)
  for (let sample of samples) fs.writeFileSync(path.join(folder, sample.file), sample.code)
  let tsconfig = {
    extends: '../../tsconfig.base.json',
    compilerOptions: { types: ['node', 'bun', 'deno'], noEmit: true },
    include: ['*.ts'],
  }
  fs.writeFileSync(path.join(folder, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
})

describe('the ts code samples of the Markdown files', () => {
  it('include the samples of both package READMEs', () => {
    expect(samples.map((sample) => sample.readme)).toContain('packages/fetch-router/README.md')
    expect(samples.map((sample) => sample.readme)).toContain('packages/session/README.md')
  })

  it.concurrent('type-check, strict, as modules of their own', async () => {
    let result = await runChild(
      process.execPath,
      [tsc, '-p', 'tsconfig.json', '--pretty', 'false'],
      {
        cwd: folder,
        env: process.env,
        timeout: 120_000,
      },
    )
    expect(inReadmes(result.stdout + result.stderr)).toBe('')
    expect(result.code).toBe(0)
  }, 130_000)

  it.concurrent.each(runnable.map((sample) => [where(sample), sample] as const))(
    '%s runs on Node: exit 0, nothing on stderr',
    async (_, sample) => {
      let result = await runChild(
        process.execPath,
        ['--import', 'tsx', path.join(folder, sample.file)],
        { cwd: docs, env: sampleEnv, timeout: 60_000 },
      )
      let report = `${where(sample)} (${sample.file})`
      expect(result.timedOut, `${report} still ran after 60 s`).toBe(false)
      expect(result.stderr, report).toBe('')
      expect(result.code, `${report}\n${result.stdout}`).toBe(0)
    },
    65_000,
  )
})
