import type { PresenceViewer } from '@tandem/contracts'

/**
 * A viewer as replicas announce them to each other: with `since`, the server time the user's
 * earliest socket still open on that replica connected (absent from older replicas' messages).
 */
export interface AnnouncedViewer extends PresenceViewer {
  since?: number
}

interface LocalViewer {
  userId: string
  position: number | null
  buffering: boolean
  reportedAt: number | null
  since: number | undefined
}

/**
 * Who is watching a session, across replicas: this replica's own connections, plus the list
 * each other replica last announced (dropped if not refreshed within the time to live).
 * A user with several connections is shown once: buffering if any connection buffers, at the
 * most recently reported position, present since their earliest connection.
 */
export class PresenceBoard {
  readonly #local = new Map<string, LocalViewer>()
  readonly #remote = new Map<string, { viewers: AnnouncedViewer[]; expiresAt: number }>()

  /** `connectedAt`: server time the connection opened (unknown ranks last among the present). */
  addConnection(connectionId: string, userId: string, connectedAt?: number): void {
    this.#local.set(connectionId, { userId, position: null, buffering: false, reportedAt: null, since: connectedAt })
  }

  removeConnection(connectionId: string): void {
    this.#local.delete(connectionId)
  }

  report(connectionId: string, position: number, buffering: boolean, at: number): void {
    const viewer = this.#local.get(connectionId)
    if (viewer) this.#local.set(connectionId, { ...viewer, position, buffering, reportedAt: at })
  }

  /** Whether an announcement of another replica about this session is held and fresh at `now`. */
  knowsReplica(replicaId: string, now: number): boolean {
    return (this.#remote.get(replicaId)?.expiresAt ?? -Infinity) >= now
  }

  /** Another replica's viewers of this session (an empty list when it has none left). */
  setRemote(replicaId: string, viewers: AnnouncedViewer[], expiresAt: number): void {
    if (viewers.length === 0) this.#remote.delete(replicaId)
    else this.#remote.set(replicaId, { viewers, expiresAt })
  }

  /** This replica's viewers as it tells the other replicas: one entry per user, with `since`. */
  announcement(): AnnouncedViewer[] {
    return merge([...this.#local.values()])
  }

  /** Everyone, on every replica whose announcement is still fresh at `now`. */
  viewers(now: number): PresenceViewer[] {
    return this.#everyone(now).map(withoutSince)
  }

  /** The users with a socket open on any replica at `now`, longest present first. */
  present(now: number): string[] {
    return this.#everyone(now)
      .sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity) || byUserId(a, b))
      .map((v) => v.userId)
  }

  /**
   * Until when `userId` counts as present if no news arrives: for ever with a socket on this
   * replica, else until the last announcement listing them expires; null when absent at `now`.
   */
  presentUntil(userId: string, now: number): number | null {
    for (const v of this.#local.values()) if (v.userId === userId) return Infinity
    let until: number | null = null
    for (const remote of this.#remote.values()) {
      if (remote.expiresAt >= now && remote.viewers.some((v) => v.userId === userId)) until = Math.max(until ?? remote.expiresAt, remote.expiresAt)
    }
    return until
  }

  #everyone(now: number): AnnouncedViewer[] {
    const all: AnnouncedViewer[] = [...this.#local.values()]
    for (const [replicaId, remote] of this.#remote) {
      if (remote.expiresAt < now) this.#remote.delete(replicaId)
      else all.push(...remote.viewers)
    }
    return merge(all)
  }
}

function withoutSince({ userId, position, buffering, reportedAt }: AnnouncedViewer): PresenceViewer {
  return { userId, position, buffering, reportedAt }
}

function byUserId(a: { userId: string }, b: { userId: string }): number {
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b)
}

function merge(viewers: AnnouncedViewer[]): AnnouncedViewer[] {
  const byUser = new Map<string, AnnouncedViewer>()
  for (const v of viewers) {
    const seen = byUser.get(v.userId)
    if (!seen) {
      byUser.set(v.userId, { userId: v.userId, position: v.position, buffering: v.buffering, reportedAt: v.reportedAt, since: v.since })
      continue
    }
    const newer = (v.reportedAt ?? -1) > (seen.reportedAt ?? -1)
    byUser.set(v.userId, {
      userId: v.userId,
      position: newer ? v.position : seen.position,
      reportedAt: newer ? v.reportedAt : seen.reportedAt,
      buffering: seen.buffering || v.buffering,
      since: earliest(seen.since, v.since),
    })
  }
  return [...byUser.values()].sort(byUserId)
}
