import type { Found, ListedSession, RecordStore, WriteOutcome, WritePlan } from '../record-store.ts'
import { userOf } from '../record-store.ts'
import { sessionValue } from '../session.ts'
import { expiresAt, type Lifetime } from '../session-lifetime.ts'
import type { PostgresSessionClient } from './postgres-client.ts'
import {
  checkStorable,
  decodeRow,
  rowChanges,
  rowColumns,
  storable,
  storedText,
} from './postgres-fields.ts'
import type { SessionTable } from './postgres-table.ts'

/** The most rows one `destroyUserSessions` or prune statement deletes. */
const batch = 1000

/**
 * The SQL condition of a live session (not a retired marker, not expired at the app's clock),
 * given the parameter numbers of now and the idle and absolute timeouts (ms, `NULL` for none).
 */
function liveSql(now: number, idle: number, absolute: number): string {
  return `retired_until IS NULL
    AND ($${idle}::bigint IS NULL OR touched_at + $${idle}::bigint > $${now}::bigint)
    AND ($${absolute}::bigint IS NULL OR created_at + $${absolute}::bigint > $${now}::bigint)`
}

/**
 * The {@link RecordStore} on PostgreSQL: a session is a row, each operation one SQL statement,
 * atomic on its own, so saves from many processes merge key by key (`vals - removed || set`,
 * applied by PostgreSQL to the row as it is when the statement gets its lock). The user index is
 * the row's `user_id` column, so log out everywhere is one `DELETE` over an index. Expiry is
 * judged by the app's clock (`now`), as every storage does; `expires_at` lets `prune` delete
 * expired rows over an index.
 */
export class PostgresRecords implements RecordStore {
  #client: PostgresSessionClient
  #table: string
  #pruneMs: number
  #prunedAt = Number.NEGATIVE_INFINITY
  /**
   * A `FROM` item that takes the transaction-scoped advisory lock of the user in `$1`, held until
   * the statement ends: the multi-row deletes of one user (`maxSessionsPerUser`,
   * `destroyUserSessions`) take turns instead of deadlocking.
   */
  #userLock: string

  /**
   * `pruneMs`: how often (ms, by the app's clock) a write first deletes a batch of expired rows;
   * `Infinity` for never.
   */
  constructor(client: PostgresSessionClient, table: SessionTable, pruneMs: number) {
    this.#client = client
    this.#table = table.sql
    // Keyed by the table's oid, so every spelling of its name takes the same lock.
    this.#userLock = `(SELECT pg_advisory_xact_lock(hashtext(
      'x-session user ' || '${table.sql}'::regclass::oid::text || ' ' || $1::text
    ))) AS user_lock`
    this.#pruneMs = pruneMs
  }

  async find(id: string): Promise<Found> {
    let rows = await this.#client.run(`SELECT ${rowColumns} FROM ${this.#table} WHERE id = $1`, [
      id,
    ])
    return decodeRow(rows[0])
  }

  async drop(id: string): Promise<void> {
    await this.#client.run(`DELETE FROM ${this.#table} WHERE id = $1`, [id])
  }

  async write(plan: WritePlan): Promise<WriteOutcome> {
    let user =
      plan.userKey === undefined ? undefined : userOf(sessionValue(plan.session, plan.userKey))
    checkStorable(plan.session, user)
    await this.#pruneIfDue(plan.now)
    let written = plan.stored ? await this.#merge(plan) : await this.#replace(plan)
    if (!written) {
      // Nothing was written: the row (or the id it was read under) was not what it had to be.
      return this.#why(plan.origin?.id ?? plan.id, plan.now)
    }
    if (user !== undefined && plan.userChanged && Number.isFinite(plan.maxPerUser)) {
      await this.#evict(user, plan)
    }
    return 'written'
  }

  async retire(id: string, until: number, now: number, lifetime: Lifetime): Promise<WriteOutcome> {
    let rows = await this.#client.run(
      `UPDATE ${this.#table}
      SET retired_until = $2::bigint, expires_at = $2::bigint, vals = '{}', flash = '{}'
      WHERE id = $1 AND ${liveSql(3, 4, 5)}
      RETURNING 1 AS ok`,
      [id, `${Math.round(until)}`, `${now}`, ...timeouts(lifetime)],
    )
    return rows.length > 0 ? 'written' : this.#why(id, now)
  }

  async forget(
    originalId: string,
    id: string,
    _user: string | undefined,
    now: number,
  ): Promise<WriteOutcome> {
    // The row goes, and with it its place in the user index; a live marker stays.
    let rows = await this.#client.run(
      `DELETE FROM ${this.#table}
      WHERE id = $1 AND (retired_until IS NULL OR retired_until <= $2::bigint)
      RETURNING 1 AS ok`,
      [originalId, `${now}`],
    )
    if (rows.length === 0 && (await this.#why(originalId, now)) === 'retired') return 'retired'
    if (id !== originalId) await this.drop(id)
    return 'written'
  }

  /**
   * Nothing to do: every write sets `user_id` in the statement that writes the data, so the row
   * names its user atomically. A statement of its own here could clear a `user_id` that a
   * concurrent save had just set back, hiding the session from `destroyUserSessions`.
   */
  async unindex(): Promise<void> {}

  async destroyUser(user: string, now: number, lifetime: Lifetime): Promise<number> {
    // No row can name it (see checkStorable); sent, a lone surrogate would name U+FFFD's user.
    if (!storable(user)) return 0
    let ended = 0
    // Batch by batch, then once more after the first batch that was not full: a login in flight
    // (its INSERT holds the row it replaces FOR SHARE, so the DELETE of that row waits for it)
    // commits a row of the user the next statement sees. No more: a client that keeps logging in
    // cannot keep this call running.
    let last = false
    for (;;) {
      let [row] = await this.#client.run(
        `WITH gone AS (
          DELETE FROM ${this.#table}
          WHERE id IN (
            SELECT id FROM ${this.#table}, ${this.#userLock} WHERE user_id = $1 LIMIT ${batch}
          )
          RETURNING ${liveSql(2, 3, 4)} AS live
        )
        SELECT count(*)::text AS deleted, count(*) FILTER (WHERE live)::text AS live FROM gone`,
        [user, `${now}`, ...timeouts(lifetime)],
      )
      if (row === undefined || row.deleted === '0') return ended
      ended += Number(row.live)
      if (last) return ended
      last = Number(row.deleted) < batch
    }
  }

  async listUser(user: string, now: number, lifetime: Lifetime): Promise<ListedSession[]> {
    if (!storable(user)) return []
    let rows = await this.#client.run(
      `SELECT id, ${rowColumns} FROM ${this.#table} WHERE user_id = $1 AND ${liveSql(2, 3, 4)}`,
      [user, `${now}`, ...timeouts(lifetime)],
    )
    return rows.map((row) => ({ id: String(row.id), found: decodeRow(row) }))
  }

  async endUserSession(
    id: string,
    owner: { user: string },
    now: number,
    lifetime: Lifetime,
  ): Promise<boolean> {
    if (!storable(owner.user)) return false
    // `user_id` is written in the statement that writes the data: it names the row's user now.
    let rows = await this.#client.run(
      `DELETE FROM ${this.#table} WHERE id = $1 AND user_id = $2 AND ${liveSql(3, 4, 5)}
      RETURNING 1 AS ok`,
      [id, owner.user, `${now}`, ...timeouts(lifetime)],
    )
    return rows.length > 0
  }

  /**
   * Deletes up to {@link batch} rows expired at `now` (ms since the epoch), oldest first, skipping
   * rows other statements hold; resolves to how many it deleted.
   */
  async prune(now: number): Promise<number> {
    let [row] = await this.#client.run(
      `WITH gone AS (
        DELETE FROM ${this.#table} WHERE id IN (
          SELECT id FROM ${this.#table} WHERE expires_at <= $1::bigint
          ORDER BY expires_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
        )
        RETURNING 1
      )
      SELECT count(*)::text AS deleted FROM gone`,
      [`${now}`],
    )
    return Number(row?.deleted ?? 0)
  }

  /** How many rows {@link PostgresRecords.prune} deletes at most in one statement. */
  static readonly pruneBatch = batch

  /** Before a write, once per prune interval: one batch of expired rows. */
  async #pruneIfDue(now: number): Promise<void> {
    if (now - this.#prunedAt < this.#pruneMs) return
    let previous = this.#prunedAt
    this.#prunedAt = now
    try {
      await this.prune(now)
    } catch (error) {
      // Tried again at the next write; the error is the save's, as the write would fail too.
      this.#prunedAt = previous
      throw error
    }
  }

  /** Merges a stored session's changes onto its row, if the row is still live. */
  async #merge(plan: WritePlan): Promise<boolean> {
    let changes = rowChanges(plan.session, true)
    let merged = `((vals - ARRAY(SELECT jsonb_array_elements_text($6::text::jsonb))) || $5::text::jsonb)`
    let params = [plan.id, `${plan.now}`, ...timeouts(plan.lifetime)]
    params.push(changes.setValues, changes.removedValues, changes.setFlash, changes.removedFlash)
    let userColumn = ''
    if (plan.userKey !== undefined) {
      // The row names the user this session names when the merged value is the one in memory;
      // otherwise another request changed it since, and set the column then.
      let values = plan.session.data[0]
      params.push(plan.userKey, storedText(values, plan.userKey))
      params.push(userOf(values[plan.userKey]) ?? null)
      userColumn = `, user_id = CASE WHEN ${merged} ->> $9::text IS NOT DISTINCT FROM $10::text
        THEN $11::text ELSE user_id END`
    }
    // Between renewals the row's last use and expiry stay as stored (the core renews when the
    // user index needs it).
    let renewal = plan.renews
      ? ', touched_at = $2::bigint, expires_at = LEAST($2::bigint + $3::bigint, created_at + $4::bigint)'
      : ''
    let rows = await this.#client.run(
      `UPDATE ${this.#table} SET
        vals = ${merged},
        flash = (flash - ARRAY(SELECT jsonb_array_elements_text($8::text::jsonb))) || $7::text::jsonb${renewal}${userColumn}
      WHERE id = $1 AND ${liveSql(2, 3, 4)}
      RETURNING 1 AS ok`,
      params,
    )
    return rows.length > 0
  }

  /**
   * Writes a session whole (new, or under a new id), replacing any row under its id. Under a new
   * id, only while the id it was read under holds what it must, checked and locked (`FOR SHARE`)
   * in the same statement: a logout or `destroyUserSessions` deleting it waits, or wins.
   */
  async #replace(plan: WritePlan): Promise<boolean> {
    let { session, now, lifetime, origin } = plan
    let changes = rowChanges(session, false)
    let expires = expiresAt({ createdAt: plan.createdAt, touchedAt: now }, lifetime)
    let user = plan.userKey === undefined ? undefined : userOf(sessionValue(session, plan.userKey))
    let params = [plan.id, `${plan.createdAt}`, `${now}`, finite(expires)]
    params.push(changes.setValues, changes.setFlash, user ?? null)
    let check = ''
    let from = ''
    if (origin !== undefined) {
      params.push(origin.id)
      if (origin.expect === 'live') params.push(...timeouts(lifetime))
      let state = origin.expect === 'live' ? liveSql(3, 9, 10) : 'retired_until > $3::bigint'
      check = `WITH origin AS (SELECT 1 FROM ${this.#table} WHERE id = $8 AND ${state} FOR SHARE) `
      from = ' FROM origin'
    }
    let rows = await this.#client.run(
      `${check}INSERT INTO ${this.#table}
        (id, created_at, touched_at, expires_at, retired_until, user_id, vals, flash)
      SELECT $1, $2::bigint, $3::bigint, $4::bigint, NULL, $7::text, $5::text::jsonb, $6::text::jsonb${from}
      ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at,
        touched_at = EXCLUDED.touched_at, expires_at = EXCLUDED.expires_at, retired_until = NULL,
        user_id = EXCLUDED.user_id, vals = EXCLUDED.vals, flash = EXCLUDED.flash
      RETURNING 1 AS ok`,
      params,
    )
    return rows.length > 0
  }

  /**
   * Deletes the user's live sessions past `plan.maxPerUser`, those used least recently (by
   * `touched_at`, the last renewal: see `renewsOnChange`), never the one just saved. The deletes
   * of one user take turns on {@link PostgresRecords.#userLock} (overlapping multi-row deletes locking rows in
   * different orders deadlock). Logins saved at the same moment may each pick the same rows: the
   * one whose statement began last sees every login's row, so the user keeps at most the cap.
   */
  async #evict(user: string, plan: WritePlan): Promise<void> {
    await this.#client.run(
      `WITH mine AS (
        SELECT id, touched_at FROM ${this.#table}, ${this.#userLock}
        WHERE user_id = $1 AND ${liveSql(3, 4, 5)}
      )
      DELETE FROM ${this.#table} WHERE id IN (
        SELECT id FROM mine WHERE id <> $2 ORDER BY touched_at ASC, id
        LIMIT GREATEST((SELECT count(*) FROM mine) - $6::bigint, 0)
      )`,
      [user, plan.id, `${plan.now}`, ...timeouts(plan.lifetime), `${plan.maxPerUser}`],
    )
  }

  /** Why a write found nothing to write under `id`: a live retired marker, or nothing live. */
  async #why(id: string, now: number): Promise<WriteOutcome> {
    let found = await this.find(id)
    return found.kind === 'retired' && now < found.until ? 'retired' : 'gone'
  }
}

// Past this many ms (about 292 million years) a time is never: PostgreSQL's bigint ends there.
const maxBigintMs = 9e18

/**
 * A time in ms as a `bigint` parameter, rounded to a whole ms: `null` (SQL `NULL`) for never
 * (`Infinity`, or past what a `bigint` holds).
 */
function finite(ms: number): string | null {
  return ms < maxBigintMs ? `${Math.round(ms)}` : null
}

/** The idle and absolute timeouts in ms as parameters (`null` for none). */
function timeouts({ idleMs, absoluteMs }: Lifetime): [string | null, string | null] {
  return [finite(idleMs), finite(absoluteMs)]
}
