import type { PresenceViewer } from '@tandem/contracts'

interface LocalViewer {
  userId: string
  position: number | null
  buffering: boolean
  reportedAt: number | null
}

/**
 * Who is watching a session, across replicas: this replica's own connections, plus the list
 * each other replica last announced (dropped if not refreshed within the time to live).
 * A user with several connections is shown once: buffering if any connection buffers, at the
 * most recently reported position.
 */
export class PresenceBoard {
  readonly #local = new Map<string, LocalViewer>()
  readonly #remote = new Map<string, { viewers: PresenceViewer[]; expiresAt: number }>()

  addConnection(connectionId: string, userId: string): void {
    this.#local.set(connectionId, { userId, position: null, buffering: false, reportedAt: null })
  }

  removeConnection(connectionId: string): void {
    this.#local.delete(connectionId)
  }

  report(connectionId: string, position: number, buffering: boolean, at: number): void {
    const viewer = this.#local.get(connectionId)
    if (viewer) this.#local.set(connectionId, { ...viewer, position, buffering, reportedAt: at })
  }

  /** Another replica's viewers of this session (an empty list when it has none left). */
  setRemote(replicaId: string, viewers: PresenceViewer[], expiresAt: number): void {
    if (viewers.length === 0) this.#remote.delete(replicaId)
    else this.#remote.set(replicaId, { viewers, expiresAt })
  }

  /** This replica's viewers, one entry per user. */
  localViewers(): PresenceViewer[] {
    return merge([...this.#local.values()])
  }

  /** Everyone, on every replica whose announcement is still fresh at `now`. */
  viewers(now: number): PresenceViewer[] {
    const all: PresenceViewer[] = [...this.#local.values()]
    for (const [replicaId, remote] of this.#remote) {
      if (remote.expiresAt < now) this.#remote.delete(replicaId)
      else all.push(...remote.viewers)
    }
    return merge(all)
  }
}

function merge(viewers: PresenceViewer[]): PresenceViewer[] {
  const byUser = new Map<string, PresenceViewer>()
  for (const v of viewers) {
    const seen = byUser.get(v.userId)
    if (!seen) {
      byUser.set(v.userId, { userId: v.userId, position: v.position, buffering: v.buffering, reportedAt: v.reportedAt })
      continue
    }
    const newer = (v.reportedAt ?? -1) > (seen.reportedAt ?? -1)
    byUser.set(v.userId, {
      userId: v.userId,
      position: newer ? v.position : seen.position,
      reportedAt: newer ? v.reportedAt : seen.reportedAt,
      buffering: seen.buffering || v.buffering,
    })
  }
  return [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
}
