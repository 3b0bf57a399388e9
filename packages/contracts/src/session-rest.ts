/** Bodies, parameters and answers of session-service's REST routes (docs/protocol.md, REST). */
import { Type, type Static } from '@sinclair/typebox'
import { ControlModeSchema, SESSION_LIMITS } from './session-limits.ts'
import { SessionStateViewSchema } from './session-state.ts'

const Revision = Type.Integer({ description: "revision of the session's latest event" })

export const SessionIdParamsSchema = Type.Object({
  id: Type.String({ maxLength: 64, description: 'session id (a UUID)' }),
})
export type SessionIdParams = Static<typeof SessionIdParamsSchema>

export const SessionResponseSchema = Type.Composite([SessionStateViewSchema, Type.Object({ revision: Revision })])
export type SessionResponse = Static<typeof SessionResponseSchema>

export const CreateSessionRequestSchema = Type.Object(
  {
    // the decider checks the trimmed title against titleMaxChars; this only bounds the raw input
    title: Type.String({ minLength: 1, maxLength: SESSION_LIMITS.titleMaxChars * 2 }),
    videoUrl: Type.String({ minLength: 1, maxLength: SESSION_LIMITS.videoUrlMaxChars }),
    controlMode: Type.Optional(ControlModeSchema),
  },
  { additionalProperties: false },
)
export type CreateSessionRequest = Static<typeof CreateSessionRequestSchema>

/** What starting a session answers: the first fields of its state, and the revision. */
export const CreateSessionResponseSchema = Type.Composite([
  Type.Pick(SessionStateViewSchema, ['id', 'title', 'videoUrl', 'hostId', 'controlMode']),
  Type.Object({ revision: Revision }),
])
export type CreateSessionResponse = Static<typeof CreateSessionResponseSchema>

export const LobbySessionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  hostId: Type.String(),
  viewers: Type.Integer({ description: 'number of members' }),
  createdAt: Type.Number(),
})
export type LobbySession = Static<typeof LobbySessionSchema>

export const LobbyResponseSchema = Type.Object({ sessions: Type.Array(LobbySessionSchema) })
export type LobbyResponse = Static<typeof LobbyResponseSchema>

export const RevisionResponseSchema = Type.Object({ revision: Revision })
export type RevisionResponse = Static<typeof RevisionResponseSchema>

/** `GET /v1/sessions/:id/ws`: any id upgrades; an unknown one is refused after `hello` (close 4404). */
export const SessionSocketParamsSchema = Type.Object({ id: Type.String({ description: 'session id' }) })
