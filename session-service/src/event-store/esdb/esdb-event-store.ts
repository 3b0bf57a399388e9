import { randomUUID } from 'node:crypto'
import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  ANY,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
  type ResolvedEvent,
  type AllStreamRecordedEvent,
} from '@eventstore/db-client'
import {
  WrongExpectedRevisionError,
  type AllStreamsSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type ReadOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeAllOptions,
} from '../event-store.ts'

type JsonObject = Record<string, unknown>

/** Event store on EventStoreDB: streams, revisions and the `$all` order are the database's own. */
export class EsdbEventStore implements EventStore {
  readonly #client: EventStoreDBClient
  readonly #subscriptions = new Set<AllStreamsSubscription>()

  constructor(client: EventStoreDBClient) {
    this.#client = client
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event')
    const expected = expectedRevision === 'no_stream' ? NO_STREAM : expectedRevision === 'any' ? ANY : BigInt(expectedRevision)
    try {
      const result = await this.#client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ id: e.id ?? randomUUID(), type: e.type, data: e.data, metadata: e.metadata ?? {} })),
        { expectedRevision: expected },
      )
      return { nextExpectedRevision: Number(result.nextExpectedRevision) }
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        const actual = err.actualVersion === NO_STREAM ? 'no_stream' : typeof err.actualVersion === 'bigint' ? Number(err.actualVersion) : undefined
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual)
      }
      throw err
    }
  }

  async read(streamId: string, fromRevision: StreamRevision | 'start' | 'end', options: ReadOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return []
    const from = fromRevision === 'start' ? START : fromRevision === 'end' ? END : BigInt(fromRevision)
    const events: RecordedEvent[] = []
    try {
      const read = this.#client.readStream<{ type: string; data: JsonObject; metadata: JsonObject }>(streamId, {
        fromRevision: from,
        direction: options.direction === 'backwards' ? BACKWARDS : FORWARDS,
        ...(options.maxCount !== undefined ? { maxCount: BigInt(options.maxCount) } : {}),
      })
      for await (const resolved of read) {
        const recorded = toRecordedEvent(resolved)
        if (recorded) events.push(recorded)
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return []
      throw err
    }
    return events
  }

  subscribeAll(options: SubscribeAllOptions): AllStreamsSubscription {
    const subscription: AllStreamSubscription = this.#client.subscribeToAll({
      fromPosition: options.from === 'start' ? START : parsePosition(options.from),
      filter: streamNameFilter({ prefixes: [options.prefix] }),
    })
    async function* events(): AsyncGenerator<RecordedEvent> {
      for await (const resolved of subscription) {
        const recorded = toRecordedEvent(resolved)
        if (recorded) yield recorded
      }
    }
    const iterator = events()
    const handle: AllStreamsSubscription = {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        this.#subscriptions.delete(handle)
        await subscription.unsubscribe()
        await iterator.return(undefined)
      },
    }
    this.#subscriptions.add(handle)
    return handle
  }

  async ping(): Promise<void> {
    // Any read answers once the node is up; a missing stream is an answer too.
    await this.read('tandem-ping', 'start', { maxCount: 1 })
  }

  /** Ends the subscriptions. The client belongs to the caller, who disposes of it afterwards. */
  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()))
  }
}

function toRecordedEvent(resolved: ResolvedEvent | { event?: AllStreamRecordedEvent }): RecordedEvent | null {
  const e = resolved.event
  if (!e || !e.isJson) return null
  return {
    id: e.id,
    streamId: e.streamId,
    revision: Number(e.revision),
    position: e.position ? formatPosition(e.position) : '',
    type: e.type,
    data: e.data as JsonObject,
    metadata: (e.metadata ?? {}) as JsonObject,
  }
}

function formatPosition(position: Position): GlobalPosition {
  return `${position.commit}/${position.prepare}`
}

export function parsePosition(position: GlobalPosition): Position {
  const match = /^(\d+)\/(\d+)$/.exec(position)
  if (!match) throw new Error(`not an EventStoreDB position: ${position}`)
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) }
}
