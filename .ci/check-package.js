// A package's `check:package`: packs it with pnpm (its `prepack` builds dist/), then checks the
// tarball with publint (strict) and @arethetypeswrong/cli (ESM only). Quiet when all pass: one
// line. When a step fails it prints that step's whole output and exits with 1.
// Usage, in a package's folder through `pnpm run`: check:package [destination, default .pack]
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

const destination = path.resolve(process.argv[2] ?? '.pack')
const name = process.env.npm_package_name ?? path.basename(process.cwd())

fs.rmSync(destination, { recursive: true, force: true })
fs.mkdirSync(destination, { recursive: true })
step('pnpm', ['pack', '--pack-destination', destination])
const tarballs = fs.readdirSync(destination).filter((file) => file.endsWith('.tgz'))
if (tarballs.length !== 1) fail(`pnpm pack left ${tarballs.length} tarballs in ${destination}`)
const tarball = path.join(destination, tarballs[0])
step('publint', ['run', tarball, '--strict'])
step('attw', [tarball, '--profile', 'esm-only', '--no-emoji', '--no-color'])
console.log(`${name}: packed ${tarball}; publint (strict) and attw (esm-only) pass`)

/** Runs a command, keeping its output to print only if it fails. */
function step(command, args) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  if (result.status !== 0) {
    fail(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    )
  }
}

function fail(message) {
  console.error(`\n${name}: check:package failed\n${message}`)
  process.exit(1)
}
