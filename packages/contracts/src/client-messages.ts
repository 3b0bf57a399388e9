/** What a client sends over `GET /v1/sessions/:id/ws` (docs/protocol.md). */
import { Type, type Static } from '@sinclair/typebox'
import { ControlModeSchema, SESSION_LIMITS } from './session-limits.ts'
import { AdvanceReasonSchema, MEDIA_LIMITS, MediaItemInputSchema } from './session-media.ts'

const Position = Type.Number({ description: 'seconds of video' })
const ItemId = Type.String({ maxLength: 64, description: 'a MediaItem itemId' })

/**
 * Commands a client may send (`command{id, command}`). Only `type` is checked when the frame is
 * read; the values (positions in range, rates, chat length) are checked by session-service's
 * decider, which answers with `reject{code}` naming the field.
 */
export const ClientCommandSchemas = {
  play: Type.Object({ type: Type.Literal('play'), position: Position }),
  pause: Type.Object({ type: Type.Literal('pause'), position: Position }),
  seek: Type.Object({ type: Type.Literal('seek'), position: Position }),
  rate: Type.Object({ type: Type.Literal('rate'), rate: Type.Number(), position: Position }),
  chat: Type.Object({ type: Type.Literal('chat'), text: Type.String(), videoPosition: Position }),
  video: Type.Object({ type: Type.Literal('video'), videoUrl: Type.String() }),
  controlMode: Type.Object({ type: Type.Literal('controlMode'), mode: ControlModeSchema }),
  handOver: Type.Object({ type: Type.Literal('handOver'), userId: Type.String({ maxLength: 64, description: 'the member who becomes host' }) }),
  coHost: Type.Object({
    type: Type.Literal('coHost'),
    userId: Type.String({ maxLength: 64, description: 'a member other than the host' }),
    coHost: Type.Boolean({ description: 'true names them co-host, false takes it back' }),
  }),
  queueAdd: Type.Object({
    type: Type.Literal('queueAdd'),
    items: Type.Array(MediaItemInputSchema, { minItems: 1, maxItems: MEDIA_LIMITS.addMaxItems }),
    next: Type.Optional(Type.Boolean({ description: 'true: at the front of the queue (play next); else at the end' })),
  }),
  queueRemove: Type.Object({ type: Type.Literal('queueRemove'), itemId: ItemId }),
  queueMove: Type.Object({ type: Type.Literal('queueMove'), itemId: ItemId, index: Type.Integer({ minimum: 0, description: 'the place to move it to, 0 = next' }) }),
  playItem: Type.Object({ type: Type.Literal('playItem'), itemId: ItemId }),
  advance: Type.Object({
    type: Type.Literal('advance'),
    from: ItemId,
    reason: AdvanceReasonSchema,
    duration: Type.Optional(Type.Number({ description: "ended: the length of the item as this viewer's player knows it, seconds" })),
  }),
  react: Type.Object({ type: Type.Literal('react'), emoji: Type.String({ maxLength: 16 }), videoPosition: Position }),
  join: Type.Object({ type: Type.Literal('join') }),
  leave: Type.Object({ type: Type.Literal('leave') }),
  end: Type.Object({ type: Type.Literal('end') }),
}
const c = ClientCommandSchemas
export const ClientCommandSchema = Type.Union([
  c.play, c.pause, c.seek, c.rate, c.chat, c.video, c.controlMode, c.handOver, c.coHost,
  c.queueAdd, c.queueRemove, c.queueMove, c.playItem, c.advance, c.react,
  c.join, c.leave, c.end,
])
export type ClientCommand = Static<typeof ClientCommandSchema>
export type ClientCommandType = ClientCommand['type']

/** Revisions as integers JavaScript holds exactly. */
const revision = (minimum: number, description: string) =>
  Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER, description })
const ScrubPosition = Type.Number({ minimum: 0, maximum: SESSION_LIMITS.maxPosition, description: 'seconds of video' })

export const HelloMessageSchema = Type.Object({
  type: Type.Literal('hello'),
  token: Type.String({ minLength: 1, description: 'an access token' }),
  since: Type.Optional(revision(-1, 'last revision the client has applied; the server then sends every event after it')),
})
export type HelloMessage = Static<typeof HelloMessageSchema>

export const CommandMessageSchema = Type.Object({
  type: Type.Literal('command'),
  id: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'client-chosen id, without NUL or unpaired surrogates; a retry with the same id is acknowledged without a new event',
  }),
  command: ClientCommandSchema,
})
export type CommandMessage = Static<typeof CommandMessageSchema>

export const ScrubMessageSchema = Type.Object({ type: Type.Literal('scrub'), position: ScrubPosition })
export type ScrubMessage = Static<typeof ScrubMessageSchema>

export const PingMessageSchema = Type.Object({
  type: Type.Literal('ping'),
  t0: Type.Number({ description: 'client clock when sent' }),
})
export type PingMessage = Static<typeof PingMessageSchema>

export const HistoryRequestMessageSchema = Type.Object({
  type: Type.Literal('history'),
  limit: Type.Integer({ minimum: 1, maximum: SESSION_LIMITS.historyMaxLimit }),
  before: Type.Optional(revision(0, 'return events with revision < before (omit for the latest)')),
})
export type HistoryRequestMessage = Static<typeof HistoryRequestMessageSchema>

export const ReportMessageSchema = Type.Object({
  type: Type.Literal('report'),
  position: ScrubPosition,
  buffering: Type.Boolean(),
})
export type ReportMessage = Static<typeof ReportMessageSchema>

/** Each client message by its `type`. */
export const ClientMessageSchemas = {
  hello: HelloMessageSchema,
  command: CommandMessageSchema,
  scrub: ScrubMessageSchema,
  ping: PingMessageSchema,
  history: HistoryRequestMessageSchema,
  report: ReportMessageSchema,
}
const m = ClientMessageSchemas
export const ClientMessageSchema = Type.Union([m.hello, m.command, m.scrub, m.ping, m.history, m.report])
export type ClientMessage = Static<typeof ClientMessageSchema>
export type ClientMessageType = ClientMessage['type']
