import { MEDIA_LIMITS, SESSION_LIMITS, type PresenceMessage, type ScrubPreviewMessage } from '@tandem/contracts'
import type { LiveSession } from './live-session.ts'
import { PresenceBoard } from './presence-board.ts'
import type { EphemeralMessage } from './ephemeral.ts'
import { HostWatch } from './host-watch.ts'
import { ReactionLimit } from './reaction-limit.ts'
import type { SessionEvent } from '../domain/events.ts'

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
  /** How long a host may have no socket open on any replica before control passes on. */
  readonly hostGoneMs: number
  publishEphemeral(sessionId: string, message: EphemeralMessage): void
  /** The users with a socket in the session on this replica may have changed. */
  viewersChanged(sessionId: string): void
  now(): number
  onError(err: unknown, sessionId: string, what: string): void
}

/** Events after which the host watch looks again: the host, the members or the status changed. */
const HOST_WATCH_EVENTS = new Set<SessionEvent['type']>(['HostChanged', 'ViewerJoined', 'ViewerLeft', 'SessionEnded'])

/**
 * The sockets of one session on this replica, with what is shared between them but never
 * stored: scrub previews and presence (who watches, where, who buffers, since when), the count
 * of each user's reactions, and the watch that hands control over when the host has gone.
 */
export class SessionRoom {
  readonly presence = new PresenceBoard()
  readonly reactions: ReactionLimit
  readonly #connections = new Map<string, RoomConnection>()
  #presenceTimer: NodeJS.Timeout | undefined
  readonly #hostWatch: HostWatch
  readonly #stopWatchingEvents: () => void

  constructor(
    readonly live: LiveSession,
    private readonly host: RoomHost,
  ) {
    this.reactions = new ReactionLimit(MEDIA_LIMITS.reactionsPerWindow, MEDIA_LIMITS.reactionWindowMs, () => host.now())
    this.#hostWatch = new HostWatch({
      live,
      presence: this.presence,
      hostGoneMs: host.hostGoneMs,
      hasSockets: () => this.#connections.size > 0,
      now: () => host.now(),
      onError: (err) => host.onError(err, live.id, 'the hand-over from a host who has gone'),
    })
    this.#stopWatchingEvents = live.onEvent(({ event }) => {
      if (HOST_WATCH_EVENTS.has(event.type)) this.#hostWatch.check()
    })
  }

  get id(): string {
    return this.live.id
  }

  get connectionCount(): number {
    return this.#connections.size
  }

  /** The distinct users with a socket in this room. */
  userIds(): string[] {
    return [...new Set([...this.#connections.values()].map((c) => c.userId))]
  }

  enter(connection: RoomConnection): void {
    this.#connections.set(connection.id, connection)
    this.presence.addConnection(connection.id, connection.userId, this.host.now())
    this.#presenceChanged()
  }

  leave(connection: RoomConnection): void {
    if (!this.#connections.delete(connection.id)) return
    this.presence.removeConnection(connection.id)
    this.#presenceChanged()
  }

  report(connection: RoomConnection, position: number, buffering: boolean): void {
    this.presence.report(connection.id, position, buffering, this.host.now())
    this.#schedulePresenceFrame(true)
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
      const now = this.host.now()
      // A replica newly watching this session is told at once who watches here, rather than at
      // the next periodic announcement (it would count this replica's viewers, the host among
      // them perhaps, as absent until then).
      const newcomer = message.viewers.length > 0 && !this.presence.knowsReplica(message.replicaId, now)
      this.presence.setRemote(message.replicaId, message.viewers, now + this.host.presenceTtlMs)
      this.#schedulePresenceFrame(newcomer && this.#connections.size > 0)
      this.#hostWatch.check()
    }
  }

  /** Re-announces this replica's viewers so other replicas keep them (called periodically). */
  announcePresence(): void {
    this.host.publishEphemeral(this.id, { kind: 'presence', replicaId: this.host.replicaId, viewers: this.presence.announcement() })
  }

  close(): void {
    this.#hostWatch.stop()
    this.#stopWatchingEvents()
    clearTimeout(this.#presenceTimer)
    this.#presenceTimer = undefined
  }

  #sendScrub(userId: string, position: number, exceptConnectionId?: string): void {
    const frame = Buffer.from(JSON.stringify({ type: 'scrub', userId, position } satisfies ScrubPreviewMessage))
    for (const c of this.#connections.values()) if (c.id !== exceptConnectionId) c.sendEphemeral(frame)
  }

  /** Someone connected or left on this replica. */
  #presenceChanged(): void {
    this.#schedulePresenceFrame(true)
    this.#hostWatch.check()
    this.host.viewersChanged(this.id)
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
