import { findMyWay } from './routers/find-my-way.ts'
import { honoRegExp } from './routers/hono-reg-exp.ts'
import { honoTrie } from './routers/hono-trie.ts'
import { ours } from './routers/ours.ts'
import { remixRoutePattern } from './routers/remix-route-pattern.ts'
import { rou3 } from './routers/rou3.ts'
import { rou3Compiled } from './routers/rou3-compiled.ts'
import type { RouterAdapter } from './routers/router-adapter.ts'

/** Every router of the matching benchmark; the baseline, find-my-way, first. */
export const matchingCompetitors: readonly RouterAdapter[] = [
  findMyWay,
  ours,
  rou3Compiled,
  rou3,
  honoRegExp,
  honoTrie,
  remixRoutePattern,
]
