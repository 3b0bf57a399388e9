/**
 * One message of a replica's presence digest (`natsTopology().sessionPresence`): which sessions
 * the replica has sockets in, and whose. Never stored.
 *
 * - `full`: part `part` (from 0) of the `parts` messages of digest `seq`, which together list
 *   every session with a socket on the replica; a session of the replica missing from all of
 *   them has no viewer there any more.
 * - `change`: only the sessions whose users changed since the replica's previous message, an
 *   empty list for a session whose last socket there closed.
 */
export interface PresenceDigest {
  replicaId: string
  kind: 'full' | 'change'
  /** Per replica, one more for each digest (all parts of one full digest share it). */
  seq: number
  part: number
  parts: number
  /** Session id → the distinct user ids with a socket open on the replica. */
  sessions: Record<string, string[]>
}

/** A digest message stays below this (NATS refuses payloads above 1 MB by default). */
export const MAX_DIGEST_BYTES = 256 * 1024
/** Room for the fields around `sessions`. */
const ENVELOPE_BYTES = 256

export function parsePresenceDigest(data: string): PresenceDigest | null {
  try {
    const d = JSON.parse(data) as Partial<PresenceDigest>
    if (typeof d.replicaId !== 'string' || (d.kind !== 'full' && d.kind !== 'change')) return null
    if (!Number.isInteger(d.seq) || !Number.isInteger(d.part) || !Number.isInteger(d.parts) || d.parts! < 1) return null
    if (typeof d.sessions !== 'object' || d.sessions === null) return null
    for (const users of Object.values(d.sessions)) if (!Array.isArray(users) || users.some((u) => typeof u !== 'string')) return null
    return d as PresenceDigest
  } catch {
    return null
  }
}

/**
 * Splits the sessions of one digest into messages of at most about `maxBytes` each (a session is
 * never split, so one with more users than fit is a message of its own). Always at least one.
 */
export function digestMessages(
  head: Pick<PresenceDigest, 'replicaId' | 'kind' | 'seq'>,
  sessions: Iterable<[string, string[]]>,
  maxBytes = MAX_DIGEST_BYTES,
): PresenceDigest[] {
  const chunks: Array<Record<string, string[]>> = [{}]
  let size = ENVELOPE_BYTES
  for (const [sessionId, users] of sessions) {
    const bytes = Buffer.byteLength(JSON.stringify(sessionId)) + Buffer.byteLength(JSON.stringify(users)) + 2
    if (size + bytes > maxBytes && Object.keys(chunks.at(-1)!).length > 0) {
      chunks.push({})
      size = ENVELOPE_BYTES
    }
    chunks.at(-1)![sessionId] = users
    size += bytes
  }
  return chunks.map((chunk, part) => ({ ...head, part, parts: chunks.length, sessions: chunk }))
}

export interface PresenceDigestPublisherOptions {
  replicaId: string
  /** The distinct user ids with a socket open on this replica, for each session with any. */
  localViewers(): Map<string, string[]>
  publish(digest: PresenceDigest): void
  /** A change is sent this long after it happened, with whatever else changed meanwhile. */
  changeDelayMs: number
  maxBytes?: number
}

/**
 * Sends this replica's presence digest: in full when asked (periodically, so that the other
 * replicas' time to live never runs out while the viewers are here), and the sessions that
 * changed soon after a change.
 */
export class PresenceDigestPublisher {
  #seq = 0
  /** What the other replicas were last told about each session, as a comparable key. */
  #told = new Map<string, string>()
  readonly #changed = new Set<string>()
  #changeTimer: NodeJS.Timeout | undefined
  #stopped = false

  constructor(private readonly options: PresenceDigestPublisherOptions) {}

  /** The users of `sessionId` on this replica may have changed. */
  changed(sessionId: string): void {
    if (this.#stopped) return
    this.#changed.add(sessionId)
    if (this.#changeTimer) return
    this.#changeTimer = setTimeout(() => this.#sendChanges(), this.options.changeDelayMs)
    this.#changeTimer.unref()
  }

  /** Sends every session with viewers here (changes waiting are included). */
  announceAll(): void {
    if (this.#stopped) return
    this.#cancelChanges()
    const viewers = this.options.localViewers()
    this.#send('full', viewers)
    this.#told = new Map([...viewers].map(([id, users]) => [id, keyOf(users)]))
  }

  /** Tells the other replicas this one has no viewers left, and sends nothing more. */
  goodbye(): void {
    if (this.#stopped) return
    this.#cancelChanges()
    this.#send('full', new Map())
    this.#stopped = true
  }

  stop(): void {
    this.#stopped = true
    this.#cancelChanges()
  }

  #sendChanges(): void {
    this.#changeTimer = undefined
    if (this.#stopped) return
    const viewers = this.options.localViewers()
    const changes = new Map<string, string[]>()
    for (const id of this.#changed) {
      const users = viewers.get(id) ?? []
      const key = keyOf(users)
      if ((this.#told.get(id) ?? '') === key) continue
      changes.set(id, users)
      if (users.length > 0) this.#told.set(id, key)
      else this.#told.delete(id)
    }
    this.#changed.clear()
    if (changes.size > 0) this.#send('change', changes)
  }

  #send(kind: PresenceDigest['kind'], sessions: Map<string, string[]>): void {
    const seq = ++this.#seq
    for (const message of digestMessages({ replicaId: this.options.replicaId, kind, seq }, sessions, this.options.maxBytes)) {
      this.options.publish(message)
    }
  }

  #cancelChanges(): void {
    clearTimeout(this.#changeTimer)
    this.#changeTimer = undefined
    this.#changed.clear()
  }
}

function keyOf(users: readonly string[]): string {
  return [...users].sort().join('\n')
}
