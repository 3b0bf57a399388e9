/** Events of a watch session, stored in the stream `session-<id>` (past tense). */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { ControlModeSchema, EndReasonSchema, HostChangeReasonSchema, VisibilitySchema } from './session-limits.ts'
import { MediaItemSchema, VideoChangeReasonSchema } from './session-media.ts'

const Position = Type.Number({ description: 'seconds of video' })

/** The `data` of each event type. */
export const SessionEventDataSchemas = {
  SessionCreated: Type.Object({
    title: Type.String(),
    videoUrl: Type.String(),
    hostId: Type.String(),
    controlMode: ControlModeSchema,
    visibility: Type.Optional(Type.Union([VisibilitySchema], { description: 'absent on sessions started before visibility existed, which were all public' })),
    inviteId: Type.Optional(Type.String({ description: 'the first invite (as in InviteIssued, never expiring); absent on sessions started before invites existed' })),
  }),
  ViewerJoined: Type.Object({ userId: Type.String() }),
  ViewerLeft: Type.Object({ userId: Type.String() }),
  PlaybackStarted: Type.Object({ position: Position }),
  PlaybackPaused: Type.Object({ position: Position }),
  PlaybackSeeked: Type.Object({ from: Position, position: Position }),
  PlaybackRateChanged: Type.Object({ rate: Type.Number(), position: Position }),
  ChatMessagePosted: Type.Object({ messageId: Type.String(), text: Type.String(), videoPosition: Position }),
  VideoChanged: Type.Object({
    videoUrl: Type.String({ description: "the new item's url; empty for a local file" }),
    item: Type.Optional(Type.Union([MediaItemSchema], { description: 'what plays now; absent on changes stored before the queue existed (a URL, no title)' })),
    reason: Type.Optional(Type.Union([VideoChangeReasonSchema], { description: 'absent: chosen' })),
    playing: Type.Optional(Type.Boolean({ description: 'whether the new item plays from 0 at `at` (else it waits paused at 0); absent: paused' })),
  }),
  QueueItemAdded: Type.Object({ item: MediaItemSchema, index: Type.Integer({ minimum: 0, description: 'its place in the queue, 0 = next' }) }),
  QueueItemRemoved: Type.Object({ itemId: Type.String() }),
  QueueReordered: Type.Object({ itemId: Type.String(), index: Type.Integer({ minimum: 0, description: 'the place the item moved to' }) }),
  ReactionSent: Type.Object({ emoji: Type.String(), videoPosition: Position }),
  ControlModeChanged: Type.Object({ mode: ControlModeSchema }),
  VisibilityChanged: Type.Object({ visibility: VisibilitySchema }),
  InvitePolicyChanged: Type.Object({ membersMayInvite: Type.Boolean() }),
  InviteIssued: Type.Object({
    inviteId: Type.String({ description: "the invite's public half; a link also needs the MAC only session-service can compute" }),
    expiresAt: Type.Union([Type.Number(), Type.Null()], { description: 'server time in ms after which the link stops working; null: never' }),
  }),
  HostChanged: Type.Object({ hostId: Type.String({ description: 'the new host' }), reason: HostChangeReasonSchema }),
  CoHostAdded: Type.Object({ userId: Type.String() }),
  CoHostRemoved: Type.Object({ userId: Type.String() }),
  SessionEnded: Type.Object({ reason: Type.Optional(Type.Union([EndReasonSchema], { description: 'absent on sessions ended before reasons existed: the host' })) }),
}

export type SessionEventDataMap = { [K in keyof typeof SessionEventDataSchemas]: Static<(typeof SessionEventDataSchemas)[K]> }

export type SessionEventType = keyof SessionEventDataMap

export const SESSION_EVENT_TYPES = Object.keys(SessionEventDataSchemas) as readonly SessionEventType[]

function eventSchema<K extends SessionEventType, D extends TSchema>(type: K, data: D) {
  return Type.Object({
    type: Type.Literal(type),
    data,
    at: Type.Number({ description: 'server time in ms' }),
    by: Type.String({ description: `id of the acting user, or ${JSON.stringify('system')} for what the service does on its own` }),
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
    eventSchema('QueueItemAdded', d.QueueItemAdded),
    eventSchema('QueueItemRemoved', d.QueueItemRemoved),
    eventSchema('QueueReordered', d.QueueReordered),
    eventSchema('ReactionSent', d.ReactionSent),
    eventSchema('ControlModeChanged', d.ControlModeChanged),
    eventSchema('VisibilityChanged', d.VisibilityChanged),
    eventSchema('InvitePolicyChanged', d.InvitePolicyChanged),
    eventSchema('InviteIssued', d.InviteIssued),
    eventSchema('HostChanged', d.HostChanged),
    eventSchema('CoHostAdded', d.CoHostAdded),
    eventSchema('CoHostRemoved', d.CoHostRemoved),
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
