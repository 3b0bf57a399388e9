/** Events of a watch session, stored in the stream `session-<id>` (past tense). */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { ControlModeSchema } from './session-limits.ts'

const Position = Type.Number({ description: 'seconds of video' })

/** The `data` of each event type. */
export const SessionEventDataSchemas = {
  SessionCreated: Type.Object({ title: Type.String(), videoUrl: Type.String(), hostId: Type.String(), controlMode: ControlModeSchema }),
  ViewerJoined: Type.Object({ userId: Type.String() }),
  ViewerLeft: Type.Object({ userId: Type.String() }),
  PlaybackStarted: Type.Object({ position: Position }),
  PlaybackPaused: Type.Object({ position: Position }),
  PlaybackSeeked: Type.Object({ from: Position, position: Position }),
  PlaybackRateChanged: Type.Object({ rate: Type.Number(), position: Position }),
  ChatMessagePosted: Type.Object({ messageId: Type.String(), text: Type.String(), videoPosition: Position }),
  VideoChanged: Type.Object({ videoUrl: Type.String() }),
  ControlModeChanged: Type.Object({ mode: ControlModeSchema }),
  SessionEnded: Type.Record(Type.String(), Type.Never(), { description: 'always empty' }),
}

export type SessionEventDataMap = { [K in keyof typeof SessionEventDataSchemas]: Static<(typeof SessionEventDataSchemas)[K]> }

export type SessionEventType = keyof SessionEventDataMap

export const SESSION_EVENT_TYPES = Object.keys(SessionEventDataSchemas) as readonly SessionEventType[]

function eventSchema<K extends SessionEventType, D extends TSchema>(type: K, data: D) {
  return Type.Object({
    type: Type.Literal(type),
    data,
    at: Type.Number({ description: 'server time in ms' }),
    by: Type.String({ description: 'id of the acting user' }),
  })
}

const d = SessionEventDataSchemas
/** One event as clients see it: `at` is server time in ms, `by` the acting user id. */
export const SessionEventSchema = Type.Union(
  [
    eventSchema('SessionCreated', d.SessionCreated),
    eventSchema('ViewerJoined', d.ViewerJoined),
    eventSchema('ViewerLeft', d.ViewerLeft),
    eventSchema('PlaybackStarted', d.PlaybackStarted),
    eventSchema('PlaybackPaused', d.PlaybackPaused),
    eventSchema('PlaybackSeeked', d.PlaybackSeeked),
    eventSchema('PlaybackRateChanged', d.PlaybackRateChanged),
    eventSchema('ChatMessagePosted', d.ChatMessagePosted),
    eventSchema('VideoChanged', d.VideoChanged),
    eventSchema('ControlModeChanged', d.ControlModeChanged),
    eventSchema('SessionEnded', d.SessionEnded),
  ],
  { description: 'one event of the session, discriminated by `type`' },
)
export type SessionEvent = Static<typeof SessionEventSchema>

export type SessionEventOf<K extends SessionEventType> = Extract<SessionEvent, { type: K }>

export const RevisionedSessionEventSchema = Type.Object({
  revision: Type.Integer({ description: "the event's revision in the session's stream (0 for SessionCreated)" }),
  event: SessionEventSchema,
})
/** An event with its revision in the session's stream (0 for `SessionCreated`). */
export type RevisionedSessionEvent = Static<typeof RevisionedSessionEventSchema>
