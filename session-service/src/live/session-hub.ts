import type { NatsConnection, Subscription } from 'nats'
import type { FastifyBaseLogger } from 'fastify'
import type { NatsTopology } from '@tandem/contracts'
import type { SessionRepository } from '../stream/session-repository.ts'
import type { StoredSessionEvent } from '../stream/session-stream.ts'
import { LiveSession } from './live-session.ts'
import { SessionRoom, type RoomHost } from './session-room.ts'
import { parseEphemeral, type EphemeralMessage } from './ephemeral.ts'

/** A replica's viewers of one session (empty when its last one left). */
export type PresenceAnnouncement = Extract<EphemeralMessage, { kind: 'presence' }>

export interface SessionHubOptions {
  repository: SessionRepository
  topology: NatsTopology
  replicaId: string
  log: FastifyBaseLogger
  /** A room nobody uses is dropped after this long. */
  idleMs?: number
  /** Rooms with sockets re-read the store this often, in case a NATS message was lost. */
  resyncIntervalMs?: number
  presenceTtlMs?: number
  presenceCoalesceMs?: number
  presenceAnnounceMs?: number
  /** A host with no socket open on any replica this long hands control to the longest-present member. */
  hostGoneMs?: number
  maxCommandAttempts?: number
  now?: () => number
  /** Sees every event this replica applies, in order per session (the lobby listens). */
  observe?: (sessionId: string, stored: StoredSessionEvent) => void
  /**
   * Sees every presence announcement: this replica's as it sends them, and every other replica's
   * for every session, loaded here or not (the lobby's watching-now directory listens).
   */
  onPresence?: (sessionId: string, announcement: PresenceAnnouncement) => void
}

export interface RoomLease {
  room: SessionRoom
  release(): void
}

interface Entry {
  ready: Promise<SessionRoom>
  room?: SessionRoom
  /** Events that arrived over NATS while the room was loading. */
  early: StoredSessionEvent[]
  leases: number
  idleTimer?: NodeJS.Timeout
}

interface EventsMessage {
  replicaId: string
  events: StoredSessionEvent[]
}

/**
 * The sessions this replica is serving. Loads a session once (snapshot + events), keeps it while
 * sockets or requests use it, relays events and ephemeral messages between replicas over core
 * NATS, and periodically re-reads the store so that a lost NATS message is never lost for good.
 */
export class SessionHub implements RoomHost {
  readonly replicaId: string
  readonly presenceTtlMs: number
  readonly presenceCoalesceMs: number
  readonly hostGoneMs: number
  readonly #entries = new Map<string, Entry>()
  readonly #idleMs: number
  readonly #timers: NodeJS.Timeout[] = []
  readonly #subscriptions: Subscription[] = []
  #nats: NatsConnection | undefined
  #closed = false

  constructor(private readonly options: SessionHubOptions) {
    this.replicaId = options.replicaId
    this.presenceTtlMs = options.presenceTtlMs ?? 30_000
    this.presenceCoalesceMs = options.presenceCoalesceMs ?? 100
    this.hostGoneMs = options.hostGoneMs ?? 120_000
    this.#idleMs = options.idleMs ?? 30_000
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms)
      timer.unref()
      this.#timers.push(timer)
    }
    every(options.resyncIntervalMs ?? 5_000, () => this.#resync())
    every(options.presenceAnnounceMs ?? 10_000, () => {
      for (const entry of this.#entries.values()) if (entry.room && entry.room.connectionCount > 0) entry.room.announcePresence()
    })
  }

  now(): number {
    return (this.options.now ?? Date.now)()
  }

  /** Starts relaying with other replicas. */
  attachNats(nc: NatsConnection): void {
    if (this.#closed) return
    this.#nats = nc
    const { topology } = this.options
    this.#subscriptions.push(
      nc.subscribe(topology.allSessionEvents, { callback: (err, msg) => !err && this.#onEventsMessage(msg.subject, msg.string()) }),
      nc.subscribe(topology.allSessionEphemeral, { callback: (err, msg) => !err && this.#onEphemeralMessage(msg.subject, msg.string()) }),
    )
    void this.#watchReconnects(nc)
  }

  /** Uses a session (loading it if needed) until `release()`. */
  async acquire(sessionId: string): Promise<RoomLease> {
    if (this.#closed) throw new Error('the session hub is closed')
    let entry = this.#entries.get(sessionId)
    if (!entry) {
      const created: Entry = { early: [], leases: 0, ready: Promise.resolve(undefined as never) }
      created.ready = this.#load(sessionId, created)
      // A failed load is forgotten so that the next acquire tries again.
      created.ready.catch(() => this.#entries.get(sessionId) === created && this.#entries.delete(sessionId))
      this.#entries.set(sessionId, created)
      entry = created
    }
    entry.leases++
    clearTimeout(entry.idleTimer)
    let room: SessionRoom
    try {
      room = await entry.ready
    } catch (err) {
      entry.leases--
      throw err
    }
    let released = false
    const target = entry
    return {
      room,
      release: () => {
        if (released) return
        released = true
        this.#release(sessionId, target)
      },
    }
  }

  /** Runs `fn` with the session's room, releasing it afterwards (REST requests). */
  async withRoom<T>(sessionId: string, fn: (room: SessionRoom) => Promise<T>): Promise<T> {
    const lease = await this.acquire(sessionId)
    try {
      return await fn(lease.room)
    } finally {
      lease.release()
    }
  }

  onError(err: unknown, sessionId: string, what: string): void {
    this.options.log.error({ err, sessionId }, `${what} failed`)
  }

  publishEphemeral(sessionId: string, message: EphemeralMessage): void {
    if (message.kind === 'presence') this.options.onPresence?.(sessionId, message)
    this.#publish(this.options.topology.sessionEphemeral(sessionId), JSON.stringify(message))
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#timers) clearInterval(timer)
    // Commands already taken finish (and are acknowledged) before the store goes away.
    await Promise.all([...this.#entries.values()].map((e) => e.room?.live.settled()))
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.idleTimer)
      if (entry.room) {
        // Tell the other replicas this one's viewers are gone.
        if (entry.room.connectionCount > 0) this.publishEphemeral(entry.room.id, { kind: 'presence', replicaId: this.replicaId, viewers: [] })
        entry.room.close()
      }
    }
    for (const s of this.#subscriptions) s.unsubscribe()
    this.#entries.clear()
  }

  async #load(sessionId: string, entry: Entry): Promise<SessionRoom> {
    const live = await LiveSession.load(sessionId, {
      repository: this.options.repository,
      maxAttempts: this.options.maxCommandAttempts,
      publish: (id, events) => this.#publish(this.options.topology.sessionEvents(id), JSON.stringify({ replicaId: this.replicaId, events } satisfies EventsMessage)),
      onError: (err, what) => this.options.log.error({ err, sessionId }, `session ${what} failed`),
    })
    const observe = this.options.observe
    if (observe) live.onEvent((stored) => observe(sessionId, stored))
    live.offer(entry.early)
    entry.early = []
    const room = new SessionRoom(live, this)
    entry.room = room
    return room
  }

  #release(sessionId: string, entry: Entry): void {
    entry.leases--
    if (entry.leases > 0 || this.#entries.get(sessionId) !== entry) return
    const drop = () => {
      if (entry.leases > 0 || this.#entries.get(sessionId) !== entry) return
      entry.room?.close()
      this.#entries.delete(sessionId)
    }
    // Unknown ids are not kept around: anyone can ask for any id.
    if (!entry.room || entry.room.live.state.status === 'none') return drop()
    entry.idleTimer = setTimeout(drop, this.#idleMs)
    entry.idleTimer.unref()
  }

  #publish(subject: string, payload: string): void {
    const nc = this.#nats
    if (!nc || nc.isClosed()) return
    try {
      nc.publish(subject, payload)
    } catch (err) {
      this.options.log.warn({ err, subject }, 'NATS publish failed; other replicas will catch up from the store')
    }
  }

  #onEventsMessage(subject: string, data: string): void {
    const entry = this.#entries.get(sessionIdFromSubject(subject))
    if (!entry) return
    let message: EventsMessage
    try {
      message = JSON.parse(data) as EventsMessage
    } catch {
      return
    }
    if (message.replicaId === this.replicaId || !Array.isArray(message.events)) return
    if (entry.room) entry.room.live.offer(message.events)
    else entry.early.push(...message.events)
  }

  #onEphemeralMessage(subject: string, data: string): void {
    const message = parseEphemeral(data)
    if (!message) return
    const sessionId = sessionIdFromSubject(subject)
    // This replica's own announcements were seen as they were sent; an echo could be stale.
    if (message.kind === 'presence' && message.replicaId !== this.replicaId) this.options.onPresence?.(sessionId, message)
    this.#entries.get(sessionId)?.room?.receive(message)
  }

  #resync(): void {
    for (const entry of this.#entries.values()) {
      const room = entry.room
      if (!room || room.connectionCount === 0) continue
      room.live.catchUp().catch((err: unknown) => this.options.log.warn({ err, sessionId: room.id }, 'resync from the store failed'))
    }
  }

  async #watchReconnects(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      // Messages published while this replica was cut off are gone; the store has them.
      if (status.type === 'reconnect') this.#resync()
    }
  }
}

/** `[<namespace>.]session.<id>.events` → `<id>` */
function sessionIdFromSubject(subject: string): string {
  const tokens = subject.split('.')
  return tokens[tokens.length - 2] ?? ''
}
