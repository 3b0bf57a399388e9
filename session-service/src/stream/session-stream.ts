import { SESSION_EVENT_TYPES, type SessionEvent, type SessionEventType } from '@tandem/contracts'
import type { NewEvent, RecordedEvent } from '../event-store/event-store.ts'

export const SESSION_STREAM_PREFIX = 'session-'

export const sessionStream = (sessionId: string): string => `${SESSION_STREAM_PREFIX}${sessionId}`

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Session ids are lowercase UUIDs; anything else names no session. */
export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value)
}

export function sessionIdOf(streamId: string): string | null {
  return streamId.startsWith(SESSION_STREAM_PREFIX) ? streamId.slice(SESSION_STREAM_PREFIX.length) : null
}

/** A session event as read from its stream. */
export interface StoredSessionEvent {
  revision: number
  event: SessionEvent
  /** Id of the command that produced it (from the event metadata). */
  commandId: string | null
}

/** Stored as: type and data of the event; `at`, `by` and the command id in the metadata. */
export function encodeSessionEvent(event: SessionEvent, commandId: string): NewEvent {
  return { type: event.type, data: event.data, metadata: { at: event.at, by: event.by, commandId } }
}

const knownTypes = new Set<string>(SESSION_EVENT_TYPES)

export function decodeSessionEvent(recorded: RecordedEvent): StoredSessionEvent {
  if (!knownTypes.has(recorded.type)) {
    throw new Error(`unknown event type ${recorded.type} at ${recorded.streamId}@${recorded.revision}`)
  }
  const { at, by, commandId } = recorded.metadata
  const event = {
    type: recorded.type as SessionEventType,
    data: recorded.data,
    at: typeof at === 'number' ? at : 0,
    by: typeof by === 'string' ? by : '',
  } as SessionEvent
  return { revision: recorded.revision, event, commandId: typeof commandId === 'string' ? commandId : null }
}
