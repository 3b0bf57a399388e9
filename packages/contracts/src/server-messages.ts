/** What the server sends over `GET /v1/sessions/:id/ws` (docs/protocol.md). */
import { Type, type Static } from '@sinclair/typebox'
import { ProtocolErrorCodeSchema, RejectCodeSchema } from './session-codes.ts'
import { RevisionedSessionEventSchema, SessionEventSchema } from './session-events.ts'
import { SessionStateViewSchema } from './session-state.ts'

export const WelcomeMessageSchema = Type.Object({
  type: Type.Literal('welcome'),
  revision: Type.Integer(),
  state: SessionStateViewSchema,
  serverTime: Type.Number(),
  userId: Type.String({ description: 'the authenticated user, so a client need not decode its token' }),
})
export type WelcomeMessage = Static<typeof WelcomeMessageSchema>

export const EventMessageSchema = Type.Object({
  type: Type.Literal('event'),
  revision: Type.Integer(),
  event: SessionEventSchema,
})
export type EventMessage = Static<typeof EventMessageSchema>

export const AckMessageSchema = Type.Object({
  type: Type.Literal('ack'),
  id: Type.String(),
  revision: Type.Integer({ description: 'revision of the last event the command produced (or the current one if it produced none)' }),
})
export type AckMessage = Static<typeof AckMessageSchema>

export const RejectMessageSchema = Type.Object({
  type: Type.Literal('reject'),
  id: Type.String(),
  code: RejectCodeSchema,
  message: Type.String(),
})
export type RejectMessage = Static<typeof RejectMessageSchema>

export const PongMessageSchema = Type.Object({
  type: Type.Literal('pong'),
  t0: Type.Number(),
  t1: Type.Number({ description: 'server clock when the ping arrived' }),
  t2: Type.Number({ description: 'server clock when the pong left' }),
})
export type PongMessage = Static<typeof PongMessageSchema>

export const ScrubPreviewMessageSchema = Type.Object({
  type: Type.Literal('scrub'),
  userId: Type.String(),
  position: Type.Number(),
})
export type ScrubPreviewMessage = Static<typeof ScrubPreviewMessageSchema>

export const HistoryMessageSchema = Type.Object({
  type: Type.Literal('history'),
  events: Type.Array(RevisionedSessionEventSchema, { description: 'newest first' }),
  hasMore: Type.Boolean(),
})
export type HistoryMessage = Static<typeof HistoryMessageSchema>

export const PresenceViewerSchema = Type.Object({
  userId: Type.String(),
  position: Type.Union([Type.Number(), Type.Null()], { description: 'last reported position in seconds, null until the viewer reports' }),
  buffering: Type.Boolean(),
  reportedAt: Type.Union([Type.Number(), Type.Null()], { description: 'server time of the last report' }),
})
export type PresenceViewer = Static<typeof PresenceViewerSchema>

export const PresenceMessageSchema = Type.Object({
  type: Type.Literal('presence'),
  viewers: Type.Array(PresenceViewerSchema, { description: 'buffering viewers first; at most SESSION_LIMITS.presenceMaxViewers' }),
  total: Type.Integer({ description: 'everyone watching, also those left out of `viewers` in a large session' }),
})
export type PresenceMessage = Static<typeof PresenceMessageSchema>

export const ErrorMessageSchema = Type.Object({
  type: Type.Literal('error'),
  code: ProtocolErrorCodeSchema,
  message: Type.String(),
})
export type ErrorMessage = Static<typeof ErrorMessageSchema>

export const ServerMessageSchema = Type.Union([
  WelcomeMessageSchema,
  EventMessageSchema,
  AckMessageSchema,
  RejectMessageSchema,
  PongMessageSchema,
  ScrubPreviewMessageSchema,
  HistoryMessageSchema,
  PresenceMessageSchema,
  ErrorMessageSchema,
])
export type ServerMessage = Static<typeof ServerMessageSchema>
