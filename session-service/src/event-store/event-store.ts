/**
 * The event store port: append-only streams with optimistic concurrency, plus one ordered feed
 * of every stream. Adapters: PostgreSQL (./postgres/) and EventStoreDB (./esdb/).
 */

/** Revision of the last event in a stream: 0 for the first event. */
export type StreamRevision = number

/**
 * What the writer believes the stream looks like: `no_stream` (it must not exist yet), the
 * revision of its last event, or `any` (no check).
 */
export type ExpectedRevision = 'no_stream' | 'any' | StreamRevision

/**
 * A place in the feed of all streams. Opaque: each adapter encodes its own position in the
 * string; consumers only store it and hand it back.
 */
export type GlobalPosition = string

export interface NewEvent {
  /** Unique event id (a UUID); generated when omitted. */
  id?: string
  type: string
  data: Record<string, unknown>
  metadata?: Record<string, unknown>
}

export interface RecordedEvent {
  id: string
  streamId: string
  revision: StreamRevision
  position: GlobalPosition
  type: string
  data: Record<string, unknown>
  metadata: Record<string, unknown>
}

export interface AppendResult {
  /** Revision of the last appended event: pass it as `expectedRevision` of the next append. */
  nextExpectedRevision: StreamRevision
}

export interface ReadOptions {
  direction?: 'forwards' | 'backwards'
  /** Read at most this many events (default: all). */
  maxCount?: number
}

export interface SubscribeAllOptions {
  /** Deliver events after this position; `start` for everything. */
  from: GlobalPosition | 'start'
  /** Only streams whose name starts with this, e.g. `session-`. */
  prefix: string
}

/** Every matching event, once, in global order; ends when closed. */
export interface AllStreamsSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>
}

export interface EventStore {
  /** Appends atomically; throws `WrongExpectedRevisionError` if the stream is not as expected. */
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>
  /**
   * Reads events of one stream starting at `fromRevision` (inclusive; `end` means the last
   * event, for backwards reads). A stream that does not exist reads as empty.
   */
  read(streamId: string, fromRevision: StreamRevision | 'start' | 'end', options?: ReadOptions): Promise<RecordedEvent[]>
  subscribeAll(options: SubscribeAllOptions): AllStreamsSubscription
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

export class WrongExpectedRevisionError extends Error {
  override name = 'WrongExpectedRevisionError'
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, `no_stream`, or undefined when the store did not say. */
    readonly actual: StreamRevision | 'no_stream' | undefined,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual ?? 'unknown')}`)
  }
}
