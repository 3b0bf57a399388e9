import type { FastifyBaseLogger } from 'fastify'
import { createdSession, evolveSession, type SessionFields } from '@tandem/contracts'
import type { AllStreamsSubscription, EventStore, GlobalPosition, RecordedEvent } from '../event-store/event-store.ts'
import type { Checkpoint, CheckpointStore } from '../event-store/checkpoint-store.ts'
import { SESSION_STREAM_PREFIX, decodeSessionEvent, sessionIdOf, type StoredSessionEvent } from '../stream/session-stream.ts'
import { KeyCounts } from '../key-counts.ts'
import { searchKey } from './title-search.ts'
import { decodeLobbyCheckpoint, encodeLobbyCheckpoint, LOBBY_CHECKPOINT_NAME, type CheckpointedSession } from './lobby-checkpoint.ts'
import { CheckpointWriter } from './checkpoint-writer.ts'

/** An open session as the lobby knows it. */
export interface ListedSession {
  readonly id: string
  /** The session folded by the shared model: members, host, co-hosts, visibility, invite policy, what plays (its queue is left empty). */
  readonly fields: SessionFields
  /** The title folded for search (`title-search.ts`). */
  readonly titleKey: string
  /** Server time of its latest event. */
  readonly lastEventAt: number
}

interface Known {
  revision: number
  /** Absent once the session has ended. */
  open?: ListedSession
}

export interface LobbyProjectionOptions {
  /** Where the projection keeps its checkpoint; without one it reads the whole feed on each start. */
  checkpoints?: CheckpointStore
  /** A checkpoint is saved after at least this many events from the feed… */
  checkpointEvery?: number
  /** …and at least this long after the previous one. */
  checkpointIntervalMs?: number
  /** Wait before reading the feed again after it failed. */
  retryMs?: number
}

/**
 * The open sessions, built in memory from the feed of every session stream and folded with the
 * same `evolveSession` as the sessions themselves. On start it takes the stored checkpoint (the
 * open sessions up to a feed position, saved now and then by any replica) and reads the feed
 * from there, or from the beginning when there is none; if the feed fails it resumes from the
 * last position it applied. Until it has caught up, the routes serve what it has so far.
 * Indexed by what the routes ask: the public ones, each user's, each host's count.
 */
export class LobbyProjection {
  readonly #sessions = new Map<string, Known>()
  readonly #public = new Set<string>()
  /** The open sessions each user is a member of. */
  readonly #byMember = new Map<string, Set<string>>()
  /** How many open sessions each host holds. */
  readonly #openByHost = new KeyCounts()
  #position: GlobalPosition | 'start' = 'start'
  #subscription: AllStreamsSubscription | undefined
  #running: Promise<void> | undefined
  #stopped = false
  readonly #checkpoints: CheckpointStore | undefined
  readonly #writer: CheckpointWriter | undefined
  readonly #retryMs: number

  constructor(
    private readonly store: EventStore,
    private readonly log: FastifyBaseLogger,
    options: LobbyProjectionOptions = {},
  ) {
    this.#retryMs = options.retryMs ?? 1000
    this.#checkpoints = options.checkpoints
    if (options.checkpoints) {
      this.#writer = new CheckpointWriter({
        store: options.checkpoints,
        name: LOBBY_CHECKPOINT_NAME,
        log,
        everyEvents: options.checkpointEvery ?? 1000,
        everyMs: options.checkpointIntervalMs ?? 10_000,
        capture: () => this.#capture(),
      })
    }
  }

  start(): void {
    this.#running ??= this.#run()
  }

  /** Stops reading the feed, then saves a checkpoint of what it applied since the last one. */
  async stop(): Promise<void> {
    this.#stopped = true
    await this.#subscription?.close()
    await this.#running
    await this.#writer?.stop()
  }

  /** The feed position applied last (`start` before the first event or checkpoint). */
  get position(): GlobalPosition | 'start' {
    return this.#position
  }

  /** The open public sessions, in no particular order. */
  *publicSessions(): Iterable<ListedSession> {
    for (const id of this.#public) yield this.#sessions.get(id)!.open!
  }

  /** The open sessions `userId` is a member of, private ones included, in no particular order. */
  *sessionsOf(userId: string): Iterable<ListedSession> {
    for (const id of this.#byMember.get(userId) ?? []) yield this.#sessions.get(id)!.open!
  }

  /** Every open session. */
  *openSessions(): Iterable<ListedSession> {
    for (const known of this.#sessions.values()) if (known.open) yield known.open
  }

  openSession(sessionId: string): ListedSession | undefined {
    return this.#sessions.get(sessionId)?.open
  }

  /** How many open sessions `userId` is the host of, on every replica (as far as the feed has come). */
  openSessionsHostedBy(userId: string): number {
    return this.#openByHost.get(userId)
  }

  async #run(): Promise<void> {
    await this.#loadCheckpoint()
    this.#writer?.start()
    while (!this.#stopped) {
      try {
        this.#subscription = this.store.subscribeAll({ from: this.#position, prefix: SESSION_STREAM_PREFIX })
        if (this.#stopped) await this.#subscription.close()
        for await (const recorded of this.#subscription) {
          this.#apply(recorded)
          this.#position = recorded.position
          this.#writer?.applied()
        }
      } catch (err) {
        if (this.#stopped) return
        this.log.warn({ err }, `lobby feed failed; resuming in ${this.#retryMs} ms`)
        await new Promise((r) => setTimeout(r, this.#retryMs))
      }
    }
  }

  /** Seeds the projection from the stored checkpoint, if there is a usable one. */
  async #loadCheckpoint(): Promise<void> {
    if (!this.#checkpoints) return
    let checkpoint: Checkpoint | null
    try {
      checkpoint = await this.#checkpoints.load(LOBBY_CHECKPOINT_NAME)
    } catch (err) {
      this.log.warn({ err }, 'loading the lobby checkpoint failed; reading the feed from the start')
      return
    }
    if (!checkpoint) return
    const decoded = decodeLobbyCheckpoint(checkpoint)
    if (decoded.kind === 'ignored') {
      this.log.info({ reason: decoded.reason }, 'lobby checkpoint ignored; reading the feed from the start')
      return
    }
    for (const session of decoded.sessions) this.#seed(session)
    this.#position = decoded.position
    this.log.info({ position: decoded.position, openSessions: decoded.sessions.length }, 'lobby resumed from its checkpoint')
  }

  /** Takes a session from the checkpoint, unless this replica's live sessions already told it more. */
  #seed({ id, revision, fields, lastEventAt }: CheckpointedSession): void {
    const known = this.#sessions.get(id)
    if (known && known.revision >= revision) return
    if (known?.open) this.#index(id, known.open.fields, null)
    this.#sessions.set(id, { revision, open: { id, fields, titleKey: searchKey(fields.title), lastEventAt } })
    this.#index(id, null, fields)
  }

  /**
   * The open sessions and the feed position. Sessions this replica applied ahead of the feed
   * (from its live sessions) are included: the feed skips their events when it reaches them.
   */
  #capture(): Checkpoint | null {
    if (this.#position === 'start') return null
    const sessions: CheckpointedSession[] = []
    for (const [id, known] of this.#sessions) {
      if (known.open) sessions.push({ id, revision: known.revision, fields: known.open.fields, lastEventAt: known.open.lastEventAt })
    }
    return encodeLobbyCheckpoint(this.#position, sessions)
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
      const fields = createdSession(event)
      this.#sessions.set(sessionId, { revision: 0, open: { id: sessionId, fields, titleKey: searchKey(fields.title), lastEventAt: event.at } })
      this.#index(sessionId, null, fields)
      return
    }
    if (!known) return
    known.revision = stored.revision
    // An ended session is remembered (without its fields), so a late copy of its events cannot reopen it.
    if (!known.open) return
    const before = known.open.fields
    const after = evolveSession(before, event)
    if (after.status !== 'open') {
      delete known.open
      this.#index(sessionId, before, null)
      return
    }
    // The lobby shows what plays, never what is queued: up to 100 items per session it need not hold.
    const listed = after.queue.length === 0 ? after : { ...after, queue: [] }
    known.open = { ...known.open, fields: listed, lastEventAt: Math.max(known.open.lastEventAt, event.at) }
    this.#index(sessionId, before, after)
  }

  /** Moves a session between the indexes as it goes from `before` to `after` (null: not open). */
  #index(id: string, before: SessionFields | null, after: SessionFields | null): void {
    if (after?.visibility === 'public') this.#public.add(id)
    else this.#public.delete(id)
    if (before?.hostId !== after?.hostId) {
      if (before) this.#openByHost.add(before.hostId, -1)
      if (after) this.#openByHost.add(after.hostId, 1)
    }
    if (before?.members === after?.members) return
    const stays = new Set(after?.members)
    for (const m of before?.members ?? []) if (!stays.has(m)) this.#removeMember(m, id)
    for (const m of stays) {
      let sessions = this.#byMember.get(m)
      if (!sessions) this.#byMember.set(m, (sessions = new Set()))
      sessions.add(id)
    }
  }

  #removeMember(userId: string, sessionId: string): void {
    const sessions = this.#byMember.get(userId)
    sessions?.delete(sessionId)
    if (sessions?.size === 0) this.#byMember.delete(userId)
  }
}
