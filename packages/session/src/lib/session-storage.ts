import type { Data, Session } from './session.ts'

/**
 * Reads sessions from cookie values and saves them back. A cookie carries either the whole
 * session (cookie storage) or only its id (server storages). Pair a storage with a signed
 * {@link Cookie}: `cookie.parse()` gives the value `read` takes, and `cookie.serialize()` writes the
 * value `save` returns.
 */
export interface SessionStorage<Values extends Data = Data, Flash extends Data = Data> {
  /**
   * The session for a cookie value (`null` when the request has none). A missing, unknown,
   * expired, tampered or corrupt value gives a fresh session with a new id; never throws for bad
   * input. Rejects only when the storage itself fails (a disk or network error).
   */
  read(cookieValue: string | null): Promise<Session<Values, Flash>>
  /**
   * Stores the session and resolves to the cookie value to send: `''` to clear the cookie (a
   * destroyed session), `null` when no `Set-Cookie` is needed: nothing changed, or (server
   * storages, whose cookie is the id) a change saved between renewals. A server storage resolves
   * to the id for a new id, a change of the `userKey` user, and when the idle timeout renews: a
   * use a tenth of it (at most a day) after the last renewal, or a change a minute after it.
   */
  save(session: Session<Values, Flash>): Promise<string | null>
}
