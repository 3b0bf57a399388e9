import type { FastifyBaseLogger } from 'fastify'
import type { LobbySession, Visibility } from '@tandem/contracts'
import type { AllStreamsSubscription, EventStore, GlobalPosition, RecordedEvent } from '../event-store/event-store.ts'
import { SESSION_STREAM_PREFIX, decodeSessionEvent, sessionIdOf, type StoredSessionEvent } from '../stream/session-stream.ts'
import { KeyCounts } from '../key-counts.ts'

interface OpenSession {
  id: string
  title: string
  hostId: string
  visibility: Visibility
  videoUrl: string
  members: Set<string>
  createdAt: number
}

/**
 * The open sessions, built in memory from the feed of every session stream. It starts from the
 * beginning of the store on each start, so a restart rebuilds it; if the feed fails it resumes
 * from the last position it applied.
 */
export class LobbyProjection {
  readonly #sessions = new Map<string, { revision: number; open?: OpenSession }>()
  /** How many open sessions each host holds. */
  readonly #openByHost = new KeyCounts()
  #position: GlobalPosition | 'start' = 'start'
  #subscription: AllStreamsSubscription | undefined
  #running: Promise<void> | undefined
  #stopped = false

  constructor(
    private readonly store: EventStore,
    private readonly log: FastifyBaseLogger,
    private readonly retryMs = 1000,
  ) {}

  start(): void {
    this.#running ??= this.#run()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.#subscription?.close()
    await this.#running
  }

  /** Open public sessions, newest first. */
  list(): LobbySession[] {
    return [...this.#sessions.values()]
      .flatMap((s) => (s.open?.visibility === 'public' ? [s.open] : []))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .map((s) => ({
        id: s.id,
        title: s.title,
        hostId: s.hostId,
        visibility: s.visibility,
        videoUrl: s.videoUrl,
        watching: 0,
        members: s.members.size,
        createdAt: s.createdAt,
      }))
  }

  /** How many open sessions `userId` is the host of, on every replica (as far as the feed has come). */
  openSessionsHostedBy(userId: string): number {
    return this.#openByHost.get(userId)
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        this.#subscription = this.store.subscribeAll({ from: this.#position, prefix: SESSION_STREAM_PREFIX })
        if (this.#stopped) await this.#subscription.close()
        for await (const recorded of this.#subscription) {
          this.#apply(recorded)
          this.#position = recorded.position
        }
      } catch (err) {
        if (this.#stopped) return
        this.log.warn({ err }, `lobby feed failed; resuming in ${this.retryMs} ms`)
        await new Promise((r) => setTimeout(r, this.retryMs))
      }
    }
  }

  #apply(recorded: RecordedEvent): void {
    const id = sessionIdOf(recorded.streamId)
    if (id === null) return
    try {
      this.observe(id, decodeSessionEvent(recorded))
    } catch (err) {
      this.log.warn({ err, streamId: recorded.streamId }, 'lobby skipped an unreadable event')
    }
  }

  /**
   * Applies one event of a session, from the feed or straight from this replica's live sessions
   * (so that a replica lists what it just changed without waiting for the feed). Each session's
   * events are taken once and in order; whichever source is late finds them applied already.
   */
  observe(sessionId: string, stored: StoredSessionEvent): void {
    const known = this.#sessions.get(sessionId)
    if (stored.revision !== (known?.revision ?? -1) + 1) return
    const { event } = stored
    if (event.type === 'SessionCreated') {
      const { title, hostId, videoUrl, visibility = 'public' } = event.data
      this.#sessions.set(sessionId, {
        revision: 0,
        open: { id: sessionId, title, hostId, visibility, videoUrl, members: new Set([hostId]), createdAt: event.at },
      })
      this.#openByHost.add(hostId, 1)
      return
    }
    if (!known) return
    const open = known.open
    switch (event.type) {
      case 'ViewerJoined':
        open?.members.add(event.data.userId)
        break
      case 'ViewerLeft':
        open?.members.delete(event.data.userId)
        break
      case 'VisibilityChanged':
        if (open) open.visibility = event.data.visibility
        break
      case 'VideoChanged':
        if (open) open.videoUrl = event.data.videoUrl
        break
      case 'HostChanged':
        if (open) {
          this.#openByHost.add(open.hostId, -1)
          this.#openByHost.add(event.data.hostId, 1)
          open.hostId = event.data.hostId
        }
        break
      case 'SessionEnded':
        // Remembered as ended (without its members), so a late copy of its events cannot reopen it.
        if (open) this.#openByHost.add(open.hostId, -1)
        delete known.open
        break
      default:
        break
    }
    known.revision = stored.revision
  }
}
