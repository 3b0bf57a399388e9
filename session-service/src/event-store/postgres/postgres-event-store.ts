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

export interface PostgresEventStoreOptions {
  /** Longest wait before a subscription looks for events appended by other processes. */
  pollIntervalMs?: number
  /** Events fetched per round trip by a subscription. */
  subscriptionBatchSize?: number
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
 * One statement, so one round trip and an implicit transaction. The CTE moves the stream's
 * revision forward only if it is what the writer expects (or creates it for `no_stream`), and
 * the events are inserted only when that row was touched. Concurrent writers of one stream queue
 * on the stream row; the loser re-checks `revision = $expected` after the winner commits, matches
 * nothing and inserts nothing.
 */
const APPEND_SQL = {
  no_stream: `INSERT INTO streams (stream_id, revision) VALUES ($1, $2 - 1) ON CONFLICT (stream_id) DO NOTHING RETURNING revision`,
  any: `INSERT INTO streams (stream_id, revision) VALUES ($1, $2 - 1)
        ON CONFLICT (stream_id) DO UPDATE SET revision = streams.revision + $2 RETURNING revision`,
  exact: `UPDATE streams SET revision = revision + $2 WHERE stream_id = $1 AND revision = $7 RETURNING revision`,
}

function appendStatement(expected: ExpectedRevision): string {
  const bump = typeof expected === 'number' ? APPEND_SQL.exact : APPEND_SQL[expected]
  return `WITH bump AS (${bump})
    INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
    SELECT $1, bump.revision - $2 + e.ord, e.id, e.type, e.data, e.metadata
    FROM bump, unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS e(id, type, data, metadata, ord)
    RETURNING stream_revision`
}

export class PostgresEventStore implements EventStore {
  readonly #pool: pg.Pool
  readonly #pollIntervalMs: number
  readonly #batchSize: number
  /** Wakes this process's subscriptions right after its own appends. */
  readonly #wakers = new Set<() => void>()
  readonly #subscriptions = new Set<AllStreamsSubscription>()

  constructor(pool: pg.Pool, options: PostgresEventStoreOptions = {}) {
    this.#pool = pool
    this.#pollIntervalMs = options.pollIntervalMs ?? 100
    this.#batchSize = options.subscriptionBatchSize ?? 500
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event')
    if (typeof expectedRevision === 'number' && (!Number.isSafeInteger(expectedRevision) || expectedRevision < 0)) {
      throw new Error(`invalid expected revision ${expectedRevision}`)
    }
    const params: unknown[] = [
      streamId,
      events.length,
      events.map((e) => e.id ?? randomUUID()),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata ?? {})),
    ]
    if (typeof expectedRevision === 'number') params.push(expectedRevision)
    const result = await this.#pool.query<{ stream_revision: string }>(appendStatement(expectedRevision), params)
    if (result.rowCount !== events.length) {
      throw new WrongExpectedRevisionError(streamId, expectedRevision, await this.#currentRevision(streamId))
    }
    for (const wake of this.#wakers) wake()
    const last = result.rows.reduce((max, r) => Math.max(max, Number(r.stream_revision)), -1)
    return { nextExpectedRevision: last }
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
    const result = await this.#pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         AND starts_with(stream_id, $3)
       ORDER BY transaction_id, global_position
       LIMIT $4`,
      [after.transactionId, after.globalPosition, prefix, this.#batchSize],
    )
    return result.rows.map(toRecordedEvent)
  }

  async #currentRevision(streamId: string): Promise<StreamRevision | 'no_stream'> {
    const result = await this.#pool.query<{ revision: string }>('SELECT revision FROM streams WHERE stream_id = $1', [streamId])
    const row = result.rows[0]
    return row ? Number(row.revision) : 'no_stream'
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
