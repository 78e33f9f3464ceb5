import { createSessionId } from './session-id.ts'
import {
  checkValue,
  type InputData,
  type KeySchemas,
  type SessionSchema,
} from './session-schema.ts'

/** Any session data: string keys to values devalue can serialize. */
export type Data = Record<string, unknown>

/** A session's raw data as storages keep it: `[values, flash]`. */
export type SessionData<Values extends Data = Data, Flash extends Data = Data> = [Values, Flash]

/** Options for {@link createSession} and the `Session` constructor. */
export interface SessionOptions {
  /** Schemas that `set()` and `flash()` check values against; see {@link SessionSchema}. */
  schema?: SessionSchema
}

/** What a storage needs to know about a session to save it: its changes and its age. */
export interface SessionChanges {
  /** The id the session was created or read with (before any `regenerateId`). */
  originalId: string
  /** Value keys given to `set()` or `unset()` since the session was read (`keys()` lists them). */
  values: ChangedKeys
  /** Flash values set with `flash()` since the session was read. */
  newFlash: ReadonlyMap<string, unknown>
  /** Stored flash keys read with `get()` since the session was read: they are removed on save. */
  readFlash: ReadonlySet<string>
  /** When the session was first stored (ms since the epoch); `undefined` if never stored. */
  createdAt: number | undefined
  /** When the session was last stored or renewed (ms since the epoch); `undefined` if never. */
  touchedAt: number | undefined
  /**
   * Whether a stored object (not a primitive) was handed out by `get()` or `data`: code may have
   * changed it in place, so the values in memory may differ from what was read.
   */
  lent: boolean
}

/** Keys a session changed: `has` tells one, `keys()` lists them (a Set's or a Map's). */
export interface ChangedKeys {
  has(key: string): boolean
  keys(): Iterable<string>
}

/** What a session that changed nothing reports, shared: nothing ever adds to them. */
const noKeys: ReadonlySet<string> = new Set()
const noFlash: ReadonlyMap<string, unknown> = new Map()

/** What a session's lookup gives for a key it holds no value under (see `Session.#lookup`). */
const absent = Symbol('absent')

let readChanges: (session: Session<Data, Data>) => SessionChanges
let readValue: (session: Session<Data, Data>, key: string) => unknown
let restoreTimes: (
  session: Session<Data, Data>,
  createdAt: number,
  touchedAt: number,
  renewsAt: number,
) => void
let readRenewsAt: (session: Session<Data, Data>) => number | undefined
let readKept: (session: Session<Data, Data>, storage: object) => unknown
let writeKept: (session: Session<Data, Data>, storage: object, kept: unknown) => void
let writeLender: (session: Session<Data, Data>, lender: () => (value: object) => unknown) => void

/**
 * A user's data across requests: values that stay until changed, and flash values that stay until
 * they are read. Storages read it from a cookie value and save it back.
 */
export class Session<Values extends Data = Data, Flash extends Data = Data> {
  static {
    readChanges = (session) => ({
      originalId: session.#originalId,
      values: session.#changed ?? noKeys,
      newFlash: session.#newFlash ?? noFlash,
      readFlash: session.#readFlash ?? noKeys,
      createdAt: session.#createdAt,
      touchedAt: session.#touchedAt,
      lent: session.#lent,
    })
    readValue = (session, key) => {
      if (session.#destroyed) return undefined
      if (session.#inputs?.has(key)) return session.#inputs.get(key)
      let value = session.#lookup(key)
      return value === absent ? undefined : value
    }
    restoreTimes = (session, createdAt, touchedAt, renewsAt) => {
      session.#createdAt = createdAt
      session.#touchedAt = touchedAt
      session.#renewsAt = renewsAt
    }
    readRenewsAt = (session) => session.#renewsAt
    readKept = (session, storage) => (session.#keptBy === storage ? session.#kept : undefined)
    writeKept = (session, storage, kept) => {
      session.#keptBy = storage
      session.#kept = kept
    }
    writeLender = (session, lender) => {
      session.#lender = lender
    }
  }

  #originalId: string
  #id: string
  #deleteId: string | undefined
  /** The values as read (a copy of the object given): never changed here, see `#changed`. */
  #stored: Data
  /** What `set` and `unset` (`absent`) did since, by key, over `#stored`. */
  #changed: Map<string, unknown> | undefined
  // The collections below are made on first use: most requests change nothing, and a session is
  // made for each.
  /** What `set` was given for keys it checked against a schema: stored instead of the output. */
  #inputs: Map<string, unknown> | undefined
  /** The stored flash values as read (a copy of the object given): never changed here. */
  #flash: Data
  #newFlash: Map<string, unknown> | undefined
  #readFlash: Set<string> | undefined
  #destroyed = false
  #dirty = false
  #schema: SessionSchema | undefined
  #createdAt: number | undefined
  #touchedAt: number | undefined
  /** When (ms since the epoch) any use renews the stored session; `undefined` if never stored. */
  #renewsAt: number | undefined
  #lent = false
  // What the storage that read the session keeps with it (see keptWithSession): a field, not a
  // WeakMap in the storage, whose entry for every request costs more than the rest of a read.
  #keptBy: object | undefined
  #kept: unknown
  /**
   * Set when the stored values and flash values are a storage's own (see copyOnRead): each object
   * among them is handed out as `#copyOut(value)`, `#copyOut` made by it on the first (most
   * requests read no object); values `set()` gave are the request's own.
   */
  #lender: (() => (value: object) => unknown) | undefined
  #copyOut: ((value: object) => unknown) | undefined

  /**
   * @param id The session id. Default: a new one from {@link createSessionId}.
   * @param initialData `[values, flash]` as read from storage: the flash values are readable now.
   */
  constructor(
    id: string = createSessionId(),
    initialData?: SessionData<Values, Flash>,
    options?: SessionOptions,
  ) {
    this.#originalId = id
    this.#id = id
    // A spread: faster than filling a Map, which reads would not need (see `#changed`).
    this.#stored = { ...initialData?.[0] }
    this.#flash = { ...initialData?.[1] }
    this.#schema = options?.schema
  }

  /** The session id. Changes with {@link Session.regenerateId}. */
  get id(): string {
    return this.#id
  }

  /** The id whose stored record the next save deletes, set by `regenerateId(true)`. */
  get deleteId(): string | undefined {
    return this.#deleteId
  }

  /** Whether anything changed that the next save must write. */
  get dirty(): boolean {
    return this.#dirty
  }

  /** Whether {@link Session.destroy} was called. */
  get destroyed(): boolean {
    return this.#destroyed
  }

  /**
   * The data to store, `[values, flash]`: flash holds the stored flash values not read yet and the
   * ones flashed during this request. `[{}, {}]` once destroyed. For storages; use `get` to read.
   */
  get data(): SessionData<Values, Flash> {
    if (this.#destroyed) return [{}, {}] as unknown as SessionData<Values, Flash>
    this.#lent = true
    let values: Data = {}
    for (let key of Object.keys(this.#stored)) {
      let value = this.#lookup(key)
      if (value !== absent) setData(values, key, this.#lend(value, key))
    }
    for (let [key, value] of this.#changed ?? []) {
      if (value !== absent && !Object.hasOwn(this.#stored, key)) setData(values, key, value)
    }
    if (this.#inputs) for (let [key, input] of this.#inputs) values[key] = input
    let flash: Data = {}
    for (let key of Object.keys(this.#flash)) {
      if (!this.#readFlash?.has(key)) setData(flash, key, this.#lend(this.#flash[key]))
    }
    if (this.#newFlash) for (let [key, value] of this.#newFlash) flash[key] = value
    return [values, flash] as SessionData<Values, Flash>
  }

  /** The number of values and stored flash values. `0` once destroyed. */
  get size(): number {
    if (this.#destroyed) return 0
    let size = Object.keys(this.#stored).length + Object.keys(this.#flash).length
    for (let [key, value] of this.#changed ?? []) {
      if (Object.hasOwn(this.#stored, key)) size -= value === absent ? 1 : 0
      else size += value === absent ? 0 : 1
    }
    return size
  }

  /** The value under `key` (`set` since, else as read), or `absent`. */
  #lookup(key: string): unknown {
    // `has`, not `get`: a schema's output may be `undefined`, and is the value then.
    let changed = this.#changed
    if (changed?.has(key)) return changed.get(key)
    return Object.hasOwn(this.#stored, key) ? this.#stored[key] : absent
  }

  /**
   * A value, or a stored flash value. Reading a flash value removes it from storage at the next save
   * (until then it can be read again); flash values set during this request are readable from the
   * next one. `undefined` when absent or once destroyed.
   */
  get<Key extends keyof Values & string>(key: Key): Values[Key] | undefined
  get<Key extends keyof Flash & string>(key: Key): Flash[Key] | undefined
  get(key: string): unknown {
    if (this.#destroyed) return undefined
    let value = this.#lookup(key)
    if (value !== absent) {
      value = this.#lend(value, key)
    } else if (Object.hasOwn(this.#flash, key)) {
      this.#readFlash ??= new Set()
      if (!this.#readFlash.has(key)) {
        this.#readFlash.add(key)
        this.#dirty = true
      }
      value = this.#lend(this.#flash[key])
    } else {
      value = undefined
    }
    if (typeof value === 'object' && value !== null) this.#lent = true
    return value
  }

  /**
   * `value` as handed out: a copy when it is an object the storage lends (a stored flash value,
   * or the stored value of `key` when `set()` or `unset()` has not replaced it).
   */
  #lend(value: unknown, key?: string): unknown {
    if (this.#lender === undefined || typeof value !== 'object' || value === null) return value
    if (key !== undefined && this.#changed?.has(key)) return value
    this.#copyOut ??= this.#lender()
    return this.#copyOut(value)
  }

  /** Whether a value or stored flash value exists for `key` (does not consume a flash value). */
  has(key: (keyof Values | keyof Flash) & string): boolean {
    return !this.#destroyed && (this.#lookup(key) !== absent || Object.hasOwn(this.#flash, key))
  }

  /**
   * Sets a value. `null` or `undefined` removes the key, as `unset` does. With a schema, the value
   * is typed with the schema's input and checked against it; `get` returns the schema's output (a
   * `z.string().transform(Number)` key takes `'5'` and gets `5`). The value given is what is
   * stored, so the next read, which checks stored data against the schema, gets the same output.
   *
   * @throws {SessionValueError} when a schema is set and refuses the value (or has no such key).
   * @throws {TypeError} for the key `__proto__`.
   * @throws {Error} once the session is destroyed.
   */
  set<Key extends keyof Values & string>(
    key: Key,
    value: InputData<Values>[Key] | null | undefined,
  ): void {
    this.#checkLive()
    checkKey(key)
    if (value === null || value === undefined) {
      this.unset(key)
      return
    }
    let schemas = this.#schema?.values
    this.#changed ??= new Map()
    this.#changed.set(key, schemas ? checkValue(schemas, key, value) : value)
    if (schemas) {
      this.#inputs ??= new Map()
      this.#inputs.set(key, value)
    } else {
      this.#inputs?.delete(key)
    }
    this.#dirty = true
  }

  /**
   * Removes a value.
   *
   * @throws {Error} once the session is destroyed.
   */
  unset(key: keyof Values & string): void {
    this.#checkLive()
    this.#changed ??= new Map()
    this.#changed.set(key, absent)
    this.#inputs?.delete(key)
    this.#dirty = true
  }

  /**
   * Sets a flash value: readable from the next request on, until it is read (a request that does
   * not read it, such as one for `/favicon.ico`, leaves it in place). With a schema, the value is
   * typed with the schema's input and checked against it; the next request's `get` returns the
   * schema's output, as with `set`.
   *
   * @throws {SessionValueError} when a schema is set and refuses the value.
   * @throws {TypeError} for the key `__proto__`.
   * @throws {Error} once the session is destroyed.
   */
  flash<Key extends keyof Flash & string>(key: Key, value: InputData<Flash>[Key]): void {
    this.#checkLive()
    checkKey(key)
    // Checked now, stored as given: the request that reads it gets the schema's output.
    if (this.#schema?.flash) checkValue(this.#schema.flash as KeySchemas, key, value)
    this.#newFlash ??= new Map()
    this.#newFlash.set(key, value)
    this.#dirty = true
  }

  /**
   * Gives the session a new id and keeps its data. Call it when privileges change (at login), so a
   * session id planted before cannot follow the user in (fixation).
   *
   * @param deleteOld Delete the record stored under the old id at the next save. Default `false`.
   * @throws {Error} once the session is destroyed.
   */
  regenerateId(deleteOld = false): void {
    this.#checkLive()
    if (deleteOld) this.#deleteId = this.#originalId
    this.#id = createSessionId()
    this.#dirty = true
  }

  /** Ends the session: the next save deletes its record and clears the cookie. */
  destroy(): void {
    this.#destroyed = true
    this.#dirty = true
  }

  #checkLive(): void {
    if (this.#destroyed) throw new Error('The session has been destroyed')
  }
}

/** Sets `data[key]`, as an own property even for `__proto__` (stored data may hold one). */
function setData(data: Data, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(data, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  } else {
    data[key] = value
  }
}

function checkKey(key: string): void {
  if (key === '__proto__') throw new TypeError('"__proto__" cannot be a session key')
}

/**
 * Creates a session.
 *
 * @param id The session id. Default: a new one.
 * @param initialData `[values, flash]`.
 */
export function createSession<Values extends Data = Data, Flash extends Data = Data>(
  id?: string,
  initialData?: SessionData<Values, Flash>,
  options?: SessionOptions,
): Session<Values, Flash> {
  return new Session(id, initialData, options)
}

/** What a session changed since it was read, for storages that merge concurrent saves. */
export function sessionChanges(session: Session<Data, Data>): SessionChanges {
  return readChanges(session)
}

/**
 * The value the session holds under `key` (as `data` would give it: the schema's input where
 * `set` was given one), for storages: unlike `data` and `get`, it lends nothing (a save that
 * finds the session unchanged need not re-read what it stores) and reads no flash value.
 */
export function sessionValue(session: Session<Data, Data>, key: string): unknown {
  return readValue(session, key)
}

/**
 * What `storage` keeps with a session it read (what it was read from, say), or `undefined` when
 * it kept nothing with it, or another storage read it. One storage's at a time.
 */
export function keptWithSession(session: Session<Data, Data>, storage: object): unknown {
  return readKept(session, storage)
}

/** Keeps `kept` with `session` for `storage` (see {@link keptWithSession}). */
export function keepWithSession(
  session: Session<Data, Data>,
  storage: object,
  kept: unknown,
): void {
  writeKept(session, storage, kept)
}

/**
 * Marks the values and flash values `session` was created with as a storage's own (a record kept
 * in memory), never to be handed out: `get()` and `data` give `copy(value)` for each object among
 * them instead, on first read, `copy` made by `lender()` when the first object is read. `copy`
 * gives the same copy for the same object, so a value read twice is one object, as it is without
 * lending. `sessionValue` still gives the stored value: storages only read it.
 */
export function copyOnRead(
  session: Session<Data, Data>,
  lender: () => (value: object) => unknown,
): void {
  writeLender(session, lender)
}

/**
 * Sets when a session read from storage was created and last renewed, and when any use renews it
 * (ms since the epoch).
 */
export function setSessionTimes(
  session: Session<Data, Data>,
  createdAt: number,
  touchedAt: number,
  renewsAt: number,
): void {
  restoreTimes(session, createdAt, touchedAt, renewsAt)
}

/**
 * When (ms since the epoch) any use renews the stored session `session` was read from: a save of
 * it unchanged writes from then on (and sends its cookie). `undefined` for a session not read from
 * a storage of this package.
 */
export function sessionRenewsAt(session: Session<Data, Data>): number | undefined {
  return readRenewsAt(session)
}
