import { SESSION_LIMITS, type PresenceMessage, type ScrubPreviewMessage } from '@tandem/contracts'
import type { LiveSession } from './live-session.ts'
import { PresenceBoard } from './presence-board.ts'
import type { EphemeralMessage } from './ephemeral.ts'

const MAX_PRESENCE_INTERVAL_MS = 5000

/** A socket of this replica, as the room sees it. */
export interface RoomConnection {
  readonly id: string
  readonly userId: string
  /** Sends a frame that is not an event (scrub previews, presence). */
  sendEphemeral(frame: Buffer): void
}

export interface RoomHost {
  readonly replicaId: string
  /** How long another replica's presence announcement stays valid. */
  readonly presenceTtlMs: number
  /** Presence changes are sent at most this often. */
  readonly presenceCoalesceMs: number
  publishEphemeral(sessionId: string, message: EphemeralMessage): void
  now(): number
}

/**
 * The sockets of one session on this replica, with what is shared between them but never
 * stored: scrub previews and presence (who watches, where, who buffers).
 */
export class SessionRoom {
  readonly presence = new PresenceBoard()
  readonly #connections = new Map<string, RoomConnection>()
  #presenceTimer: NodeJS.Timeout | undefined

  constructor(
    readonly live: LiveSession,
    private readonly host: RoomHost,
  ) {}

  get id(): string {
    return this.live.id
  }

  get connectionCount(): number {
    return this.#connections.size
  }

  enter(connection: RoomConnection): void {
    this.#connections.set(connection.id, connection)
    this.presence.addConnection(connection.id, connection.userId)
    this.#presenceChanged()
  }

  leave(connection: RoomConnection): void {
    if (!this.#connections.delete(connection.id)) return
    this.presence.removeConnection(connection.id)
    this.#presenceChanged()
  }

  report(connection: RoomConnection, position: number, buffering: boolean): void {
    this.presence.report(connection.id, position, buffering, this.host.now())
    this.#presenceChanged()
  }

  /** A preview of where `connection` drags the timeline, for everyone else. */
  scrub(connection: RoomConnection, position: number): void {
    this.#sendScrub(connection.userId, position, connection.id)
    this.host.publishEphemeral(this.id, { kind: 'scrub', replicaId: this.host.replicaId, userId: connection.userId, position })
  }

  /** A message from another replica. */
  receive(message: EphemeralMessage): void {
    if (message.replicaId === this.host.replicaId) return
    if (message.kind === 'scrub') {
      this.#sendScrub(message.userId, message.position)
    } else {
      this.presence.setRemote(message.replicaId, message.viewers, this.host.now() + this.host.presenceTtlMs)
      this.#schedulePresenceFrame()
    }
  }

  /** Re-announces this replica's viewers so other replicas keep them (called periodically). */
  announcePresence(): void {
    this.host.publishEphemeral(this.id, { kind: 'presence', replicaId: this.host.replicaId, viewers: this.presence.localViewers() })
  }

  close(): void {
    clearTimeout(this.#presenceTimer)
    this.#presenceTimer = undefined
  }

  #sendScrub(userId: string, position: number, exceptConnectionId?: string): void {
    const frame = Buffer.from(JSON.stringify({ type: 'scrub', userId, position } satisfies ScrubPreviewMessage))
    for (const c of this.#connections.values()) if (c.id !== exceptConnectionId) c.sendEphemeral(frame)
  }

  #presenceChanged(): void {
    this.#schedulePresenceFrame(true)
  }

  #announceNext = false

  /**
   * Coalesces bursts of changes (reports, joins) into one frame per interval. Every frame goes to
   * every socket, so the interval grows with the room (a frame per 100 ms for up to 20 sockets,
   * at most one per 5 s), and the list is capped, buffering viewers first.
   */
  #schedulePresenceFrame(announce = false): void {
    if (announce) this.#announceNext = true
    if (this.#presenceTimer) return
    const interval = Math.min(MAX_PRESENCE_INTERVAL_MS, this.host.presenceCoalesceMs * Math.max(1, Math.ceil(this.#connections.size / 20)))
    this.#presenceTimer = setTimeout(() => {
      this.#presenceTimer = undefined
      if (this.#announceNext) {
        this.#announceNext = false
        this.announcePresence()
      }
      const everyone = this.presence.viewers(this.host.now())
      const shown = everyone.length <= SESSION_LIMITS.presenceMaxViewers ? everyone : [...everyone].sort((a, b) => Number(b.buffering) - Number(a.buffering)).slice(0, SESSION_LIMITS.presenceMaxViewers)
      const frame = Buffer.from(JSON.stringify({ type: 'presence', viewers: shown, total: everyone.length } satisfies PresenceMessage))
      for (const c of this.#connections.values()) c.sendEphemeral(frame)
    }, interval)
    this.#presenceTimer.unref()
  }
}
