import type { PresenceDigest } from '../live/presence-digest.ts'

interface Announcement {
  userIds: readonly string[]
  expiresAt: number
}

export interface WatchingNowOptions {
  /** How long an announcement counts unless renewed (replicas renew theirs well within it). */
  ttlMs: number
  now(): number
}

/**
 * Who has each session open, on every replica: the viewers each replica last announced for each
 * session in its presence digest (this replica's own included, taken as it sends them), dropped
 * when not renewed within the time to live, so the viewers of a replica that died stop counting.
 * Also remembers when each session last had a viewer, which is what idle end measures from.
 */
export class WatchingNow {
  readonly #bySession = new Map<string, Map<string, Announcement>>()
  readonly #lastSeenAt = new Map<string, number>()
  /** Per replica, the full digest being received: its number, the parts and sessions seen so far. */
  readonly #fullDigests = new Map<string, { seq: number; parts: Set<number>; sessions: Set<string> }>()

  constructor(private readonly options: WatchingNowOptions) {}

  /**
   * One message of a replica's presence digest. Its sessions are announced at once; when every
   * part of a full digest has arrived, that replica's sessions missing from it count as left
   * (a digest with a part lost changes nothing more: the next one, or the time to live, does).
   */
  applyDigest(digest: PresenceDigest): void {
    const { replicaId } = digest
    for (const [sessionId, userIds] of Object.entries(digest.sessions)) this.announce(sessionId, replicaId, userIds)
    if (digest.kind !== 'full') return
    let full = this.#fullDigests.get(replicaId)
    if (!full || full.seq !== digest.seq) this.#fullDigests.set(replicaId, (full = { seq: digest.seq, parts: new Set(), sessions: new Set() }))
    full.parts.add(digest.part)
    for (const sessionId of Object.keys(digest.sessions)) full.sessions.add(sessionId)
    if (full.parts.size < digest.parts) return
    this.#fullDigests.delete(replicaId)
    for (const [sessionId, replicas] of this.#bySession) {
      if (replicas.has(replicaId) && !full.sessions.has(sessionId)) this.announce(sessionId, replicaId, [])
    }
  }

  /** `replicaId`'s viewers of `sessionId` (an empty list when its last one left). */
  announce(sessionId: string, replicaId: string, userIds: readonly string[]): void {
    const now = this.options.now()
    let replicas = this.#bySession.get(sessionId)
    // Viewers announced, or viewers who were there until this moment.
    if (userIds.length > 0 || replicas?.has(replicaId)) this.#lastSeenAt.set(sessionId, now)
    if (userIds.length === 0) {
      replicas?.delete(replicaId)
      if (replicas?.size === 0) this.#bySession.delete(sessionId)
      return
    }
    if (!replicas) this.#bySession.set(sessionId, (replicas = new Map()))
    replicas.set(replicaId, { userIds: [...userIds], expiresAt: now + this.options.ttlMs })
  }

  /** Distinct users with the session open on any replica whose announcement is still fresh. */
  watching(sessionId: string): number {
    const replicas = this.#fresh(sessionId)
    if (!replicas) return 0
    const users = new Set<string>()
    for (const a of replicas.values()) for (const u of a.userIds) users.add(u)
    return users.size
  }

  /** When someone last had the session open (now, while someone has), or undefined if never since this replica started. */
  lastSeenAt(sessionId: string): number | undefined {
    return this.#fresh(sessionId) ? this.options.now() : this.#lastSeenAt.get(sessionId)
  }

  /** Forgets expired announcements, and everything about sessions `keep` rejects (ended ones). */
  prune(keep: (sessionId: string) => boolean): void {
    for (const id of this.#bySession.keys()) if (!keep(id) || !this.#fresh(id)) this.#bySession.delete(id)
    for (const id of this.#lastSeenAt.keys()) if (!keep(id)) this.#lastSeenAt.delete(id)
  }

  #fresh(sessionId: string): Map<string, Announcement> | undefined {
    const replicas = this.#bySession.get(sessionId)
    if (!replicas) return undefined
    const now = this.options.now()
    // An expired replica stopped renewing; its viewers were last seen when it last announced them.
    for (const [replicaId, a] of replicas) if (a.expiresAt < now) replicas.delete(replicaId)
    if (replicas.size > 0) return replicas
    this.#bySession.delete(sessionId)
    return undefined
  }
}
