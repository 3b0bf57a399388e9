import type { FastifyBaseLogger } from 'fastify'
import type { LobbySession } from '@tandem/contracts'
import type { AllStreamsSubscription, EventStore, GlobalPosition, RecordedEvent } from '../event-store/event-store.ts'
import { SESSION_STREAM_PREFIX, decodeSessionEvent, sessionIdOf } from '../sessions/session-stream.ts'

interface OpenSession {
  id: string
  title: string
  hostId: string
  members: Set<string>
  createdAt: number
}

/**
 * The open sessions, built in memory from the feed of every session stream. It starts from the
 * beginning of the store on each start, so a restart rebuilds it; if the feed fails it resumes
 * from the last position it applied.
 */
export class LobbyProjection {
  readonly #open = new Map<string, OpenSession>()
  #position: GlobalPosition | 'start' = 'start'
  #subscription: AllStreamsSubscription | undefined
  #running: Promise<void> | undefined
  #stopped = false
  #applied = 0

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

  /** Open sessions, newest first. */
  list(): LobbySession[] {
    return [...this.#open.values()]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .map((s) => ({ id: s.id, title: s.title, hostId: s.hostId, viewers: s.members.size, createdAt: s.createdAt }))
  }

  /** Events applied since start (for tests and diagnostics). */
  get applied(): number {
    return this.#applied
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
    let stored
    try {
      stored = decodeSessionEvent(recorded)
    } catch (err) {
      this.log.warn({ err, streamId: recorded.streamId }, 'lobby skipped an unreadable event')
      return
    }
    this.#applied++
    const { event } = stored
    const session = this.#open.get(id)
    switch (event.type) {
      case 'SessionCreated':
        this.#open.set(id, { id, title: event.data.title, hostId: event.data.hostId, members: new Set([event.data.hostId]), createdAt: event.at })
        return
      case 'ViewerJoined':
        session?.members.add(event.data.userId)
        return
      case 'ViewerLeft':
        session?.members.delete(event.data.userId)
        return
      case 'SessionEnded':
        this.#open.delete(id)
        return
      default:
        return
    }
  }
}
