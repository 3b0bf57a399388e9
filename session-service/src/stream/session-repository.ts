import type { AppendResult, EventStore } from '../event-store/event-store.ts'
import type { SnapshotStore } from '../event-store/snapshot-store.ts'
import type { SessionEvent } from '../domain/events.ts'
import { sessionDecider } from '../domain/decider.ts'
import type { SessionState } from '../domain/state.ts'
import { decodeSessionEvent, encodeSessionEvent, sessionStream, type StoredSessionEvent } from './session-stream.ts'

/** Bump when the shape of `SessionState` changes: older snapshots are then ignored. */
export const SNAPSHOT_SCHEMA_VERSION = 3

export interface SessionRepositoryOptions {
  /** A snapshot is taken every this many events. */
  snapshotEvery?: number
  readPageSize?: number
  onSnapshotError?: (err: unknown) => void
  /** Sees how long each append to the event store took, in seconds (the append-latency metric). */
  observeAppend?: (seconds: number) => void
}

export interface LoadedSession {
  state: SessionState
  /** Events read after the snapshot (bounded by `snapshotEvery` while snapshots keep up). */
  eventsRead: number
}

/** Loads, appends and pages the events of sessions; keeps snapshots current. */
export class SessionRepository {
  readonly snapshotEvery: number
  readonly #pageSize: number
  readonly #onSnapshotError: (err: unknown) => void
  readonly #observeAppend: (seconds: number) => void
  readonly #pendingSnapshots = new Set<Promise<void>>()

  constructor(
    private readonly events: EventStore,
    private readonly snapshots: SnapshotStore,
    options: SessionRepositoryOptions = {},
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 100
    this.#pageSize = options.readPageSize ?? 500
    this.#onSnapshotError = options.onSnapshotError ?? (() => undefined)
    this.#observeAppend = options.observeAppend ?? (() => undefined)
  }

  /** The current state: the latest snapshot plus the events after it. */
  async load(sessionId: string): Promise<LoadedSession> {
    const stream = sessionStream(sessionId)
    let state = await this.#fromSnapshot(stream)
    let eventsRead = 0
    for (;;) {
      const page = await this.readAfter(sessionId, state.revision, this.#pageSize)
      for (const stored of page) state = sessionDecider.evolve(state, stored.event)
      eventsRead += page.length
      if (page.length < this.#pageSize) break
    }
    if (eventsRead >= this.snapshotEvery) this.#saveSnapshot(stream, state)
    return { state, eventsRead }
  }

  async #fromSnapshot(stream: string): Promise<SessionState> {
    try {
      const snapshot = await this.snapshots.load(stream)
      if (snapshot && snapshot.schemaVersion === SNAPSHOT_SCHEMA_VERSION) return stateFromSnapshot(snapshot.state)
    } catch (err) {
      // A snapshot is only a shortcut: without it the stream is replayed.
      this.#onSnapshotError(err)
    }
    return sessionDecider.initialState
  }

  /** Events after `revision`, oldest first. */
  async readAfter(sessionId: string, revision: number, maxCount?: number): Promise<StoredSessionEvent[]> {
    const recorded = await this.events.read(sessionStream(sessionId), revision + 1, maxCount === undefined ? {} : { maxCount })
    return recorded.map(decodeSessionEvent)
  }

  /** Up to `limit` events before revision `before` (or the latest), newest first. */
  async history(sessionId: string, before: number | undefined, limit: number): Promise<{ events: StoredSessionEvent[]; hasMore: boolean }> {
    if (before !== undefined && before <= 0) return { events: [], hasMore: false }
    const from = before === undefined ? 'end' : before - 1
    const recorded = await this.events.read(sessionStream(sessionId), from, { direction: 'backwards', maxCount: limit })
    const events = recorded.map(decodeSessionEvent)
    const oldest = events[events.length - 1]
    return { events, hasMore: oldest !== undefined && oldest.revision > 0 }
  }

  /**
   * Appends events (of one or more commands, each tagged with its command id) after
   * `state.revision`; throws `WrongExpectedRevisionError` if the stream moved on. Returns them
   * with their revisions.
   */
  async append(sessionId: string, state: SessionState, events: Array<{ event: SessionEvent; commandId: string }>): Promise<StoredSessionEvent[]> {
    const expected = state.revision < 0 ? 'no_stream' : state.revision
    const encoded = events.map((e) => encodeSessionEvent(e.event, e.commandId))
    const started = performance.now()
    let result: AppendResult
    try {
      result = await this.events.append(sessionStream(sessionId), encoded, expected)
    } finally {
      this.#observeAppend((performance.now() - started) / 1000)
    }
    const first = result.nextExpectedRevision - events.length + 1
    return events.map((e, i) => ({ revision: first + i, event: e.event, commandId: e.commandId }))
  }

  /** Takes a snapshot when the state just crossed a multiple of `snapshotEvery`; never waits for it. */
  snapshotIfDue(sessionId: string, previousRevision: number, state: SessionState): void {
    if (Math.floor(state.revision / this.snapshotEvery) > Math.floor(Math.max(previousRevision, 0) / this.snapshotEvery)) {
      this.#saveSnapshot(sessionStream(sessionId), state)
    }
  }

  #saveSnapshot(stream: string, state: SessionState): void {
    const saving = this.snapshots
      .save(stream, { revision: state.revision, schemaVersion: SNAPSHOT_SCHEMA_VERSION, state })
      .catch(this.#onSnapshotError)
      .finally(() => this.#pendingSnapshots.delete(saving))
    this.#pendingSnapshots.add(saving)
  }

  /** Waits for snapshots being written (before the store is closed). */
  async settle(): Promise<void> {
    await Promise.all([...this.#pendingSnapshots])
  }
}

/**
 * A snapshot's state as it is read today. Older snapshots of the same schema also carry the
 * session's recent command ids (now remembered by `LiveSession`, from the events' metadata), and
 * their open sessions have no `endedAt`.
 */
function stateFromSnapshot(stored: unknown): SessionState {
  const { recentCommands: _remembered, ...state } = stored as SessionState & { recentCommands?: unknown }
  return state.status === 'none' ? state : { ...state, endedAt: state.endedAt ?? null }
}
