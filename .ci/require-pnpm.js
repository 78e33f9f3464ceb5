// A package's `prepack`: refuses to pack or publish with anything but pnpm. The workspace
// manifest carries `workspace:` and `catalog:` ranges and `exports` that point at src/*.ts; pnpm
// replaces them (with real versions and `publishConfig.exports`) in the packed package.json, npm
// does not, and what it packs cannot be installed.
const agent = process.env.npm_config_user_agent ?? ''
// npm reads npm_config_* variables as its own settings, so under a pnpm script the user agent can
// still say pnpm: the path of the running tool tells them apart.
const tool = process.env.npm_execpath ?? ''
if (!agent.startsWith('pnpm/') || /[\\/]npm-cli\.js$/.test(tool)) {
  const name = process.env.npm_package_name ?? 'this package'
  console.error(
    [
      '',
      `  ${name}: pack and publish with pnpm, not ${agent.split(' ')[0] || 'this tool'}.`,
      '  Run `npx --yes pnpm@10.34.8 pack` or `npx --yes pnpm@10.34.8 publish` in its folder.',
      '  Other tools copy the workspace package.json as it is: its `workspace:` and `catalog:`',
      '  versions and its exports of src/*.ts make a package that cannot be installed.',
      '',
    ].join('\n'),
  )
  process.exit(1)
}
