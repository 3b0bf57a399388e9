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
 * session (this replica's own included, taken as it sends them), dropped when not renewed within
 * the time to live, so the viewers of a replica that died stop counting. Also remembers when each
 * session last had a viewer, which is what idle end measures from.
 */
export class WatchingNow {
  readonly #bySession = new Map<string, Map<string, Announcement>>()
  readonly #lastSeenAt = new Map<string, number>()

  constructor(private readonly options: WatchingNowOptions) {}

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
