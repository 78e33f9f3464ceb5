import { createCookie as createRemixCookie } from '@remix-run/cookie'
import { createCookie } from '@x/session/cookie'
import { createCookieSessionStorage } from '@x/session/cookie-storage'
import { secret } from './config.ts'
import { createHmacCookie } from './hmac-cookie.ts'
import type { ResultTable } from './result-table.ts'
import { partTimeColumn } from './time-column.ts'
import { measureTasks, type TinyTask } from './tiny.ts'
import { saveTypicalSession } from './typical-session.ts'

interface CookieCodec {
  serialize(value: string): Promise<string> | string
  parse(header: string): Promise<string | null> | string | null
}

const baseline = 'node:crypto HMAC (hand-written)'

/** What a browser sends besides the session: 20 analytics cookies and a preference (1.3 KB). */
const otherCookies = Array.from(
  { length: 20 },
  (_, index) => `_ga_${index}=GA1.1.${'1234567890'.repeat(4)}.${index}`,
).join('; ')

/**
 * Signing and verifying (or encrypting and decrypting) a session cookie: `cookie.serialize` of the
 * typical session's cookie-storage value, and `cookie.parse` of the `Cookie` header carrying it.
 */
export async function runCookieCryptoBench(log: (line: string) => void): Promise<ResultTable> {
  let value = await saveTypicalSession(createCookieSessionStorage())
  let codecs: [string, CookieCodec][] = [
    [baseline, createHmacCookie('session', secret)],
    ['ours signed', createCookie('session', { secrets: [secret] })],
    [
      'ours encrypted (AES-256-GCM)',
      createCookie('session', { secrets: [secret], encrypted: true }),
    ],
    ['remix signed', createRemixCookie('session', { secrets: [secret] })],
  ]
  let tasks: TinyTask[] = []
  for (let [name, codec] of codecs) {
    let header = ((await codec.serialize(value)).split(';')[0] ?? '') as string
    let parsed = await codec.parse(header)
    if (parsed !== value)
      throw new Error(`${name}: parse(serialize(value)) gave back another value`)
    tasks.push({ name: `${name}|serialize`, fn: () => codec.serialize(value) })
    tasks.push({ name: `${name}|parse`, fn: () => codec.parse(header) })
    let browserHeader = `${otherCookies}; ${header}; theme=dark`
    if ((await codec.parse(browserHeader)) !== value)
      throw new Error(`${name}: parse found another value among other cookies`)
    tasks.push({ name: `${name}|browser`, fn: () => codec.parse(browserHeader) })
  }
  log('  session: cookie sign/verify, encrypt/decrypt')
  let all = await measureTasks(tasks)
  let rows = codecs.map(([name]) => name)
  let column = (operation: string, label: string) =>
    partTimeColumn(all, rows, operation, baseline, label)
  return {
    title: 'Session cookie: sign / verify, encrypt / decrypt',
    description: `\`cookie.serialize(value)\` and \`cookie.parse(header)\` of the typical session as cookie storage encodes it (${value.length} characters); the last column parses a browser-like header that also carries 21 other cookies (${otherCookies.length + 14} characters more). Each cell: speed relative to **${baseline}** (higher is faster), then the median time. Ours uses Node's crypto where the runtime has it (Node, Bun, Deno; Web Crypto elsewhere); Remix's uses Web Crypto, whose calls run on libuv's thread pool: that is latency, not main-thread CPU time.`,
    rows: codecs.map(([name]) => name),
    columns: [
      column('serialize', 'serialize (sign/encrypt)'),
      column('parse', 'parse (verify/decrypt)'),
      column('browser', 'parse among 22 cookies'),
    ],
  }
}
