import { randomUUID } from 'node:crypto'
import pg from 'pg'
import {
  WrongExpectedRevisionError,
  type AllStreamsSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeAllOptions,
} from '../event-store.ts'
import { subscribeAllByPolling } from './all-streams-subscription.ts'
import { AppendBatcher } from './append-batcher.ts'

export interface PostgresEventStoreOptions {
  /** Longest wait before a subscription looks for events appended by other processes. */
  pollIntervalMs?: number
  /** Events fetched per round trip by a subscription. */
  subscriptionBatchSize?: number
  /** Append transactions running at once; appends arriving meanwhile share the next one. */
  appendConcurrency?: number
  /** Most appends sharing one transaction. */
  appendBatchSize?: number
}

interface PendingAppend {
  streamId: string
  events: NewEvent[]
  /** The stream's last revision the append expects, −1 for an empty stream. */
  after: number
}

interface EventRow {
  global_position: string
  transaction_id: string
  stream_id: string
  stream_revision: string
  event_id: string
  type: string
  data: Record<string, unknown>
  metadata: Record<string, unknown>
}

const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id, stream_id, stream_revision, event_id, type, data, metadata`

/*
 * An append is one INSERT (one round trip, an implicit transaction) of revisions
 * expected+1 … expected+n. The unique index on (stream_id, stream_revision) makes concurrent
 * writers of one stream queue on the index: the first commits, the others fail with a unique
 * violation, which is the conflict. The EXISTS guard refuses an expected revision beyond the
 * end of the stream, which would otherwise leave a gap.
 */
const GUARD = `WHERE $2::bigint = -1 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_revision = $2::bigint)`
const APPEND_ONE = `INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
  SELECT $1, $2::bigint + 1, $3::uuid, $4, $5::jsonb, $6::jsonb ${GUARD}`
const APPEND_MANY = `INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
  SELECT $1, $2::bigint + e.ord, e.id, e.type, e.data, e.metadata
  FROM unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS e(id, type, data, metadata, ord) ${GUARD}`
/** Appends to several streams, each in its own subtransaction (migrations/004.do.append-batch.sql). */
const APPEND_TO_STREAMS = `SELECT append_to_streams($1::text[], $2::bigint[], $3::integer[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[]) AS written`
const UNIQUE_VIOLATION = '23505'
/*
 * Every append is one commit, and a commit waits for its WAL flush: on a disk-bound server that
 * flush, not the insert, is what limits appends per second. Appends arriving while a few are
 * being written go together in the next transaction, so one flush serves many sessions.
 * A transaction holds each append in a subtransaction; PostgreSQL keeps 64 of them per
 * transaction in shared memory and slows every snapshot beyond that, hence the cap of 32.
 */
const APPEND_CONCURRENCY = 4
const APPEND_BATCH_SIZE = 32
/** `any` reads the last revision first; a writer racing it makes it try again, this many times. */
const ANY_ATTEMPTS = 20

export class PostgresEventStore implements EventStore {
  readonly #pool: pg.Pool
  readonly #pollIntervalMs: number
  readonly #batchSize: number
  /** Wakes this process's subscriptions right after its own appends. */
  readonly #wakers = new Set<() => void>()
  readonly #subscriptions = new Set<AllStreamsSubscription>()
  readonly #appends: AppendBatcher<PendingAppend, boolean>

  constructor(pool: pg.Pool, options: PostgresEventStoreOptions = {}) {
    this.#pool = pool
    this.#pollIntervalMs = options.pollIntervalMs ?? 100
    this.#batchSize = options.subscriptionBatchSize ?? 500
    this.#appends = new AppendBatcher((batch) => this.#insertBatch(batch), {
      maxInFlight: options.appendConcurrency ?? APPEND_CONCURRENCY,
      maxBatch: options.appendBatchSize ?? APPEND_BATCH_SIZE,
    })
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event')
    if (typeof expectedRevision === 'number' && (!Number.isSafeInteger(expectedRevision) || expectedRevision < 0)) {
      throw new Error(`invalid expected revision ${expectedRevision}`)
    }
    for (let attempt = 1; ; attempt++) {
      const after = expectedRevision === 'any' ? await this.#lastRevision(streamId) : expectedRevision === 'no_stream' ? -1 : expectedRevision
      if (await this.#appends.submit({ streamId, events, after })) {
        for (const wake of this.#wakers) wake()
        return { nextExpectedRevision: after + events.length }
      }
      if (expectedRevision !== 'any' || attempt >= ANY_ATTEMPTS) {
        const actual = await this.#lastRevision(streamId)
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual < 0 ? 'no_stream' : actual)
      }
    }
  }

  /** Writes a batch; for each append, whether it was written (false: a conflict). */
  async #insertBatch(batch: PendingAppend[]): Promise<Array<PromiseSettledResult<boolean>>> {
    if (batch.length === 1) return Promise.allSettled([this.#insert(batch[0]!)])
    const events = batch.flatMap((a) => a.events)
    try {
      const result = await this.#pool.query<{ written: boolean[] }>(APPEND_TO_STREAMS, [
        batch.map((a) => a.streamId),
        batch.map((a) => a.after),
        batch.map((a) => a.events.length),
        events.map((e) => e.id ?? randomUUID()),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata ?? {})),
      ])
      return result.rows[0]!.written.map((value) => ({ status: 'fulfilled', value }))
    } catch {
      // Whatever failed the batch (a lost connection, an append the database refuses) fails
      // only the appends it concerns: each is tried again on its own.
      return Promise.allSettled(batch.map((a) => this.#insert(a)))
    }
  }

  /** Inserts revisions after+1 …; false when the stream is not at `after` (−1: empty). */
  async #insert({ streamId, events, after }: PendingAppend): Promise<boolean> {
    const single = events.length === 1
    const params = single
      ? [streamId, after, events[0]!.id ?? randomUUID(), events[0]!.type, JSON.stringify(events[0]!.data), JSON.stringify(events[0]!.metadata ?? {})]
      : [
          streamId,
          after,
          events.map((e) => e.id ?? randomUUID()),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata ?? {})),
        ]
    try {
      const result = await this.#pool.query(single ? APPEND_ONE : APPEND_MANY, params)
      return result.rowCount === events.length
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return false
      throw err
    }
  }

  async read(streamId: string, fromRevision: StreamRevision | 'start' | 'end', options: ReadOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards'
    const limit = options.maxCount ?? null
    if (limit !== null && limit <= 0) return []
    let sql: string
    let params: unknown[]
    if (backwards) {
      const upTo = fromRevision === 'end' ? null : fromRevision === 'start' ? 0 : fromRevision
      sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND ($2::bigint IS NULL OR stream_revision <= $2)
             ORDER BY stream_revision DESC LIMIT $3`
      params = [streamId, upTo, limit]
    } else {
      if (fromRevision === 'end') return []
      const from = fromRevision === 'start' ? 0 : fromRevision
      sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_revision >= $2
             ORDER BY stream_revision ASC LIMIT $3`
      params = [streamId, from, limit]
    }
    const result = await this.#pool.query<EventRow>(sql, params)
    return result.rows.map(toRecordedEvent)
  }

  subscribeAll(options: SubscribeAllOptions): AllStreamsSubscription {
    const subscription = subscribeAllByPolling({
      from: options.from,
      pollIntervalMs: this.#pollIntervalMs,
      onWake: (wake) => {
        this.#wakers.add(wake)
        return () => this.#wakers.delete(wake)
      },
      readPage: (after) => this.#readAllPage(after, options.prefix),
      onClose: () => this.#subscriptions.delete(subscription),
    })
    this.#subscriptions.add(subscription)
    return subscription
  }

  /**
   * The next events of the global feed after `after`. Only rows of transactions older than every
   * transaction still running are taken: a transaction that drew a lower global_position but has
   * not committed yet would otherwise be skipped for good once a reader moved past it.
   */
  async #readAllPage(after: { transactionId: string; globalPosition: string }, prefix: string): Promise<RecordedEvent[]> {
    // ORDER BY names the table's columns: a bare `transaction_id` would be the text output column,
    // which sorts '10' before '9' and cannot use the (transaction_id, global_position) index.
    const result = await this.#pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         AND starts_with(stream_id, $3)
       ORDER BY events.transaction_id, events.global_position
       LIMIT $4`,
      [after.transactionId, after.globalPosition, prefix, this.#batchSize],
    )
    return result.rows.map(toRecordedEvent)
  }

  /** The revision of the stream's last event, −1 if it has none. */
  async #lastRevision(streamId: string): Promise<number> {
    const result = await this.#pool.query<{ revision: string | null }>('SELECT max(stream_revision) AS revision FROM events WHERE stream_id = $1', [streamId])
    const revision = result.rows[0]?.revision
    return revision === null || revision === undefined ? -1 : Number(revision)
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1')
  }

  /** Ends the subscriptions. The pool belongs to the caller, who ends it afterwards. */
  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()))
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: `${row.transaction_id}:${row.global_position}`,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  }
}
