import { Agent, request } from 'node:http'

/**
 * Sends `count` GET requests to `url` one after another over one keep-alive connection, each
 * carrying the session cookie of the latest response (the first ones `cookie`), as each session
 * of the HTTP load does; resolves to the last response's body. One at a time, so a server's work
 * per request is the same whatever the machine's speed.
 *
 * @throws {Error} for a status other than 200.
 */
export async function sendSequentially(
  url: string,
  cookie: string,
  count: number,
): Promise<string> {
  let agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let latest = cookie
  let body = ''
  try {
    for (let sent = 0; sent < count; sent++) {
      let answer = await get(url, latest, agent)
      latest = answer.cookie ?? latest
      body = answer.body
    }
  } finally {
    agent.destroy()
  }
  return body
}

function get(url: string, cookie: string, agent: Agent) {
  return new Promise<{ body: string; cookie: string | undefined }>((resolve, reject) => {
    let outgoing = request(url, { agent, headers: { cookie } }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`${url} answered ${response.statusCode}: ${body}`))
          return
        }
        let set = response.headers['set-cookie']?.[0]
        resolve({ body, cookie: set?.split(';')[0] })
      })
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}
