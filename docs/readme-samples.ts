import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

/** How a sample is checked: run (and type-checked), or only type-checked. */
export type SampleMode = 'run' | 'typecheck-only'

/** One ```ts block of a README, as a module of its own. */
export interface Sample {
  /** The README, relative to the repository root (`packages/session/README.md`). */
  readme: string
  /** The 1-based line of the README where the sample's code starts (after the fence). */
  line: number
  /** The code, with the block's indentation removed. */
  code: string
  /** `typecheck-only` when `<!-- sample: typecheck-only -->` is the line before the fence. */
  mode: SampleMode
  /** The sample's file name in the samples folder: the README path as a slug, then the block's number. */
  file: string
}

/** The marker that keeps a sample from running; it is still type-checked. */
export const typecheckOnlyMarker = '<!-- sample: typecheck-only -->'

const fence = /^(\s*)```(\S*)\s*$/

/**
 * Every ```ts block of `markdown`, numbered from 1 in the order they appear. A block indented
 * (inside a list item) loses that indentation. Other languages (sh, text) are left out; a
 * `<!-- sample: ... -->` line that is not the known marker is a `TypeError`, so a typo cannot
 * silently keep a sample from running.
 */
export function extractSamples(readme: string, markdown: string): Sample[] {
  let lines = markdown.split('\n')
  let samples: Sample[] = []
  let slug = readme.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')
  for (let index = 0; index < lines.length; index++) {
    let open = fence.exec(lines[index] as string)
    if (!open) continue
    let [, indent = '', language] = open
    let end = index + 1
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] as string)) end++
    if (language === 'ts') {
      let code = lines
        .slice(index + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
        .join('\n')
      let number = samples.length + 1
      samples.push({
        readme,
        line: index + 2,
        code: `${code}\n`,
        mode: markerBefore(readme, lines, index),
        file: `${slug}-${number}.ts`,
      })
    }
    index = end
  }
  return samples
}

function markerBefore(readme: string, lines: string[], fenceIndex: number): SampleMode {
  let previous = (lines[fenceIndex - 1] ?? '').trim()
  if (!previous.startsWith('<!-- sample:')) return 'run'
  if (previous === typecheckOnlyMarker) return 'typecheck-only'
  throw new TypeError(`${readme}:${fenceIndex}: unknown marker ${previous}`)
}

/** Every Markdown file that git tracks under `root` (the READMEs and the other docs), relative to it. */
export function trackedMarkdown(root: string): string[] {
  let output = execFileSync('git', ['ls-files', '--', '*.md'], {
    cwd: root,
    encoding: 'utf8',
  })
  return output.split('\n').filter((file) => file !== '')
}

/** The ts samples of every tracked Markdown file under `root`. */
export function readmeSamples(root: string): Sample[] {
  return trackedMarkdown(root).flatMap((readme) =>
    extractSamples(readme, fs.readFileSync(path.join(root, readme), 'utf8')),
  )
}
