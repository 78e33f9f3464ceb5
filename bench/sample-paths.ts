const sampleValues: Record<string, string> = {
  owner: 'remix-run',
  repo: 'remix',
  username: 'octocat',
  target_user: 'hubot',
  org: 'github',
  team_slug: 'justice-league',
  enterprise: 'acme',
  gist_id: 'aa5a315d61ae9438b18d',
  sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
  commit_sha: '7638417db6d59f3c431d3e1f261cc637155684cd',
  file_sha: '3a0f86fb8db8eea7ccbb9a95f325ddbedfb25e15',
  tree_sha: '9fb037999f264ba9a7fc6274d15fa3ae2ab98312',
  tag_sha: '940bd336248efae0f9ee5bc7b2d5c985887b16ac',
  ref: 'main',
  branch: 'main',
  basehead: 'main...feature',
  path: 'README.md',
  dir: 'docs',
  tag: 'v1.0.0',
  name: 'bug',
  license: 'mit',
  key: 'contributor_covenant',
  package_type: 'npm',
  package_name: 'hello-world',
  archive_format: 'zip',
  secret_name: 'NPM_TOKEN',
  environment_name: 'production',
  codespace_name: 'monalisa-octocat-hello-world-g4wpq6h95q',
  app_slug: 'octoapp',
  client_id: 'Iv1.8a61f9b3a7aba766',
  workflow_id: 'ci.yml',
}

/** A plausible value for a param of the GitHub API: ids are numbers, names are names. */
function sampleValue(param: string): string {
  return sampleValues[param] ?? String(1000 + (hash(param) % 9000000))
}

/** `pattern` with every `:param` replaced by {@link sampleValue}. */
export function fillPattern(pattern: string): string {
  return pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => sampleValue(name))
}

function hash(text: string): number {
  let value = 0
  for (let index = 0; index < text.length; index++) {
    value = (value * 31 + text.charCodeAt(index)) >>> 0
  }
  return value
}
