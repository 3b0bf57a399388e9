import type { NatsConnection, Subscription } from 'nats'
import type { FastifyBaseLogger } from 'fastify'
import type { NatsTopology } from '@tandem/contracts'
import type { SessionRepository } from '../stream/session-repository.ts'
import type { StoredSessionEvent } from '../stream/session-stream.ts'
import { LiveSession } from './live-session.ts'
import { SessionRoom, type RoomHost } from './session-room.ts'
import { parseEphemeral, type EphemeralMessage } from './ephemeral.ts'
import { parsePresenceDigest, PresenceDigestPublisher, type PresenceDigest } from './presence-digest.ts'

export interface SessionHubOptions {
  repository: SessionRepository
  topology: NatsTopology
  replicaId: string
  log: FastifyBaseLogger
  /**
   * A session nobody uses any more (its last socket closed, its last request answered) stays
   * loaded, and subscribed to its subjects, this long: a client reconnecting finds it ready.
   */
  lingerMs?: number
  /** Rooms with sockets re-read the store this often, in case a NATS message was lost. */
  resyncIntervalMs?: number
  /** How long another replica's presence (per session, and in its digest) counts unless renewed. */
  presenceTtlMs?: number
  presenceCoalesceMs?: number
  /** How often this replica renews its presence: per session with sockets, and its full digest. */
  presenceAnnounceMs?: number
  /** A change of this replica's viewers goes out in its digest this long after it happened. */
  presenceDigestDelayMs?: number
  /** The largest presence digest message (a bigger digest is sent in parts). */
  presenceDigestMaxBytes?: number
  /** A host with no socket open on any replica this long hands control to the longest-present member. */
  hostGoneMs?: number
  maxCommandAttempts?: number
  now?: () => number
  /** Sees every event this replica applies, in order per session (the lobby listens). */
  observe?: (sessionId: string, stored: StoredSessionEvent) => void
  /**
   * Sees every presence digest message: this replica's as it sends them, and every other
   * replica's (the lobby's watching-now directory listens).
   */
  onPresenceDigest?: (digest: PresenceDigest) => void
}

/** What this replica has received over NATS, for metrics and tests. */
export interface HubNatsStats {
  /** Sessions this replica is subscribed to (loaded for a socket or a request, or lingering). */
  subscribedSessions: number
  /** Messages received: on the sessions' `events` and `ephemeral` subjects, and presence digest messages. */
  messagesReceived: { events: number; ephemeral: number; presence: number }
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
  lingerTimer?: NodeJS.Timeout
  /** On the session's `events` and `ephemeral` subjects, from before it was read from the store. */
  subscriptions?: Subscription[]
  /** `performance.now()` when the room last applied an event, from any source. */
  lastEventAt?: number
}

interface EventsMessage {
  replicaId: string
  events: StoredSessionEvent[]
}

/** How long loading a session waits for NATS to confirm its subscriptions before reading anyway. */
const SUBSCRIBE_FLUSH_TIMEOUT_MS = 2000

/**
 * The sessions this replica is serving. Loads a session once (snapshot + events), keeps it while
 * sockets or requests use it (and a linger after), relays events and ephemeral messages between
 * replicas over core NATS on per-session subjects, subscribed only while the session is loaded
 * here, and periodically re-reads the store so that a lost NATS message is never lost for good.
 * Tells the other replicas who watches which session through its presence digest.
 */
export class SessionHub implements RoomHost {
  readonly replicaId: string
  readonly presenceTtlMs: number
  readonly presenceCoalesceMs: number
  readonly hostGoneMs: number
  readonly #entries = new Map<string, Entry>()
  readonly #lingerMs: number
  readonly #resyncIntervalMs: number
  readonly #timers: NodeJS.Timeout[] = []
  readonly #subscriptions: Subscription[] = []
  readonly #digest: PresenceDigestPublisher
  readonly #received = { events: 0, ephemeral: 0, presence: 0 }
  #nats: NatsConnection | undefined
  #closed = false
  #resyncing: Promise<unknown> | undefined
  /** A pass asked for while one runs: whether it must read every room (after a reconnect), or only quiet ones. */
  #resyncNext: { all: boolean } | undefined

  constructor(private readonly options: SessionHubOptions) {
    this.replicaId = options.replicaId
    this.presenceTtlMs = options.presenceTtlMs ?? 30_000
    this.presenceCoalesceMs = options.presenceCoalesceMs ?? 100
    this.hostGoneMs = options.hostGoneMs ?? 120_000
    this.#lingerMs = options.lingerMs ?? 5_000
    this.#resyncIntervalMs = options.resyncIntervalMs ?? 5_000
    this.#digest = new PresenceDigestPublisher({
      replicaId: this.replicaId,
      localViewers: () => this.#localViewers(),
      publish: (digest) => {
        this.options.onPresenceDigest?.(digest)
        this.#publish(this.options.topology.sessionPresence, JSON.stringify(digest))
      },
      changeDelayMs: options.presenceDigestDelayMs ?? 250,
      maxBytes: options.presenceDigestMaxBytes,
    })
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms)
      timer.unref()
      this.#timers.push(timer)
    }
    every(this.#resyncIntervalMs, () => this.#resync())
    every(options.presenceAnnounceMs ?? 10_000, () => {
      for (const entry of this.#entries.values()) if (entry.room && entry.room.connectionCount > 0) entry.room.announcePresence()
      this.#digest.announceAll()
    })
  }

  now(): number {
    return (this.options.now ?? Date.now)()
  }

  /**
   * Starts relaying with other replicas: the presence digests, and the subjects of every session
   * already loaded (those loaded without NATS then catch up from the store). nats.js subscribes
   * again by itself after a reconnect.
   */
  attachNats(nc: NatsConnection): void {
    if (this.#closed) return
    this.#nats = nc
    this.#subscriptions.push(
      nc.subscribe(this.options.topology.sessionPresence, { callback: (err, msg) => !err && this.#onPresenceMessage(msg.string()) }),
    )
    for (const [sessionId, entry] of this.#entries) this.#subscribe(sessionId, entry)
    void this.#flushed(nc).then(() => {
      for (const entry of this.#entries.values()) {
        const room = entry.room
        room?.live.catchUp().catch((err: unknown) => this.options.log.warn({ err, sessionId: room.id }, 'catching up after NATS connected failed'))
      }
    })
    void this.#watchReconnects(nc)
  }

  /** Counts for metrics: sessions subscribed, messages received by kind. */
  natsStats(): HubNatsStats {
    let subscribedSessions = 0
    for (const entry of this.#entries.values()) if (entry.subscriptions) subscribedSessions++
    return { subscribedSessions, messagesReceived: { ...this.#received } }
  }

  /** Sessions with at least one socket in their room on this replica. */
  sessionsWithSockets(): number {
    let count = 0
    for (const entry of this.#entries.values()) if (entry.room && entry.room.connectionCount > 0) count++
    return count
  }

  /** Uses a session (loading it if needed) until `release()`. */
  async acquire(sessionId: string): Promise<RoomLease> {
    if (this.#closed) throw new Error('the session hub is closed')
    let entry = this.#entries.get(sessionId)
    if (!entry) {
      const created: Entry = { early: [], leases: 0, ready: Promise.resolve(undefined as never) }
      this.#entries.set(sessionId, created)
      created.ready = this.#load(sessionId, created)
      // A failed load is forgotten so that the next acquire tries again.
      created.ready.catch(() => this.#drop(sessionId, created))
      entry = created
    }
    entry.leases++
    clearTimeout(entry.lingerTimer)
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
    this.#publish(this.options.topology.sessionEphemeral(sessionId), JSON.stringify(message))
  }

  viewersChanged(sessionId: string): void {
    this.#digest.changed(sessionId)
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#timers) clearInterval(timer)
    // Commands already taken finish (and are acknowledged) before the store goes away.
    await Promise.all([...this.#entries.values()].map((e) => e.room?.live.settled()))
    // Tell the other replicas this one's viewers are gone.
    this.#digest.goodbye()
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.lingerTimer)
      if (entry.room) {
        if (entry.room.connectionCount > 0) this.publishEphemeral(entry.room.id, { kind: 'presence', replicaId: this.replicaId, viewers: [] })
        entry.room.close()
      }
      this.#unsubscribe(entry)
    }
    for (const s of this.#subscriptions) s.unsubscribe()
    this.#entries.clear()
  }

  /**
   * Subscribes to the session's subjects first, and reads it once NATS has the subscriptions:
   * every event appended after the read reaches this replica (those arriving during the read wait
   * in `entry.early`).
   */
  async #load(sessionId: string, entry: Entry): Promise<SessionRoom> {
    const nc = this.#subscribe(sessionId, entry)
    if (nc) await this.#flushed(nc)
    const live = await LiveSession.load(sessionId, {
      repository: this.options.repository,
      maxAttempts: this.options.maxCommandAttempts,
      publish: (id, events) => this.#publish(this.options.topology.sessionEvents(id), JSON.stringify({ replicaId: this.replicaId, events } satisfies EventsMessage)),
      onError: (err, what) => this.options.log.error({ err, sessionId }, `session ${what} failed`),
    })
    const observe = this.options.observe
    if (observe) live.onEvent((stored) => observe(sessionId, stored))
    live.onEvent(() => (entry.lastEventAt = performance.now()))
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
      if (entry.leases === 0) this.#drop(sessionId, entry)
    }
    // Unknown ids are not kept around: anyone can ask for any id.
    if (!entry.room || entry.room.live.state.status === 'none') return drop()
    entry.lingerTimer = setTimeout(drop, this.#lingerMs)
    entry.lingerTimer.unref()
  }

  #drop(sessionId: string, entry: Entry): void {
    if (this.#entries.get(sessionId) !== entry) return
    entry.room?.close()
    this.#unsubscribe(entry)
    this.#entries.delete(sessionId)
  }

  /** Subscribes to the session's subjects unless it is already, or NATS is not there yet; answers the connection subscribed on. */
  #subscribe(sessionId: string, entry: Entry): NatsConnection | undefined {
    const nc = this.#nats
    if (!nc || nc.isClosed() || this.#closed || entry.subscriptions) return undefined
    const { topology } = this.options
    entry.subscriptions = [
      nc.subscribe(topology.sessionEvents(sessionId), { callback: (err, msg) => !err && this.#onEventsMessage(msg.subject, msg.string()) }),
      nc.subscribe(topology.sessionEphemeral(sessionId), { callback: (err, msg) => !err && this.#onEphemeralMessage(msg.subject, msg.string()) }),
    ]
    return nc
  }

  #unsubscribe(entry: Entry): void {
    for (const s of entry.subscriptions ?? []) s.unsubscribe()
    entry.subscriptions = undefined
  }

  /**
   * Resolves once the NATS server has processed what was sent before (subscriptions), or after a
   * bounded wait while NATS is unreachable: the store, re-read periodically, covers that case.
   */
  async #flushed(nc: NatsConnection): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SUBSCRIBE_FLUSH_TIMEOUT_MS)
      timer.unref()
    })
    await Promise.race([nc.flush().catch(() => undefined), timeout])
    clearTimeout(timer)
  }

  /** The distinct users with a socket here, per session with any (the presence digest). */
  #localViewers(): Map<string, string[]> {
    const viewers = new Map<string, string[]>()
    for (const [sessionId, entry] of this.#entries) {
      if (entry.room && entry.room.connectionCount > 0) viewers.set(sessionId, entry.room.userIds())
    }
    return viewers
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
    this.#received.events++
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
    this.#received.ephemeral++
    const message = parseEphemeral(data)
    if (!message) return
    this.#entries.get(sessionIdFromSubject(subject))?.room?.receive(message)
  }

  #onPresenceMessage(data: string): void {
    this.#received.presence++
    const digest = parsePresenceDigest(data)
    // This replica's own digest was seen as it was sent; an echo could be stale.
    if (digest && digest.replicaId !== this.replicaId) this.options.onPresenceDigest?.(digest)
  }

  /**
   * Re-reads the store for the rooms with sockets that applied no event for a whole interval, a
   * few at a time. A room whose events keep coming needs no re-read: a lost NATS message shows as
   * a gap at the next event, which is filled from the store at once; only a loss with nothing
   * after it needs this, and that room falls quiet. A replica may hold thousands of sessions, and
   * reading them all at once would take every store connection from the commands and the
   * readiness check. A pass asked for while one runs follows it (after a NATS reconnect, every
   * room, also those read before the reconnect).
   */
  #resync(options: { all?: boolean } = {}): void {
    if (this.#resyncing) {
      this.#resyncNext = { all: Boolean(options.all || this.#resyncNext?.all) }
      return
    }
    const quietSince = performance.now() - this.#resyncIntervalMs
    const due = (e: Entry) => options.all || e.lastEventAt === undefined || e.lastEventAt <= quietSince
    const rooms = [...this.#entries.values()].flatMap((e) => (e.room && e.room.connectionCount > 0 && due(e) ? [e.room] : []))
    const worker = async () => {
      for (let room = rooms.pop(); room; room = rooms.pop()) {
        if (this.#closed) return
        await room.live.catchUp().catch((err: unknown) => this.options.log.warn({ err, sessionId: room!.id }, 'resync from the store failed'))
      }
    }
    this.#resyncing = Promise.all(Array.from({ length: RESYNC_CONCURRENCY }, worker)).then(() => {
      this.#resyncing = undefined
      const next = this.#resyncNext
      this.#resyncNext = undefined
      if (next && !this.#closed) this.#resync(next)
    })
  }

  async #watchReconnects(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      // Messages published while this replica was cut off are gone; the store has them.
      if (status.type === 'reconnect') this.#resync({ all: true })
    }
  }
}

/** Store reads a resync pass keeps in flight (of the replica's `EVENT_STORE_POOL_SIZE` connections). */
const RESYNC_CONCURRENCY = 4

/** `[<namespace>.]session.<id>.events` → `<id>` */
function sessionIdFromSubject(subject: string): string {
  const tokens = subject.split('.')
  return tokens[tokens.length - 2] ?? ''
}
