/**
 * Checks that the counter server at `url` really keeps a session: a first request answers `1` and
 * sets the cookie, a second one carrying it answers `2` and sets it again.
 *
 * @returns the `Cookie` header obtained from the first request, for the load to carry.
 * @throws {Error} naming what the server did instead.
 */
export async function verifyCounter(name: string, url: string): Promise<string> {
  let first = await fetch(url)
  let firstBody = await first.text()
  let cookie = cookieHeader(first)
  if (first.status !== 200 || firstBody !== '1' || cookie === '') {
    throw new Error(
      `${name}: first request gave ${first.status} "${firstBody}" and cookie "${cookie}", expected 200 "1" and a cookie`,
    )
  }
  let second = await fetch(url, { headers: { cookie } })
  let secondBody = await second.text()
  if (second.status !== 200 || secondBody !== '2' || cookieHeader(second) === '') {
    throw new Error(
      `${name}: second request gave ${second.status} "${secondBody}" (Set-Cookie: ${second.headers.has('set-cookie')}), expected 200 "2" with a cookie`,
    )
  }
  return cookie
}

function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .join('; ')
}
