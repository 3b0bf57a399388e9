/** Bodies, parameters and answers of session-service's REST routes (docs/protocol.md, REST). */
import { Type, type Static } from '@sinclair/typebox'
import { ControlModeSchema, SESSION_LIMITS, VisibilitySchema } from './session-limits.ts'
import { SessionStateViewSchema } from './session-state.ts'
import { MediaKindSchema } from './session-media.ts'

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
    visibility: Type.Optional(Type.Union([VisibilitySchema], { description: 'default private' })),
  },
  { additionalProperties: false },
)
export type CreateSessionRequest = Static<typeof CreateSessionRequestSchema>

/** `PATCH /v1/sessions/:id` (host only): the settings to change; at least one. */
export const UpdateSessionRequestSchema = Type.Object(
  {
    visibility: Type.Optional(VisibilitySchema),
    membersMayInvite: Type.Optional(Type.Boolean({ description: 'whether every member may share the invite link' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateSessionRequest = Static<typeof UpdateSessionRequestSchema>

/** An invite token as it appears in links: URL-safe base64, never logged. */
export const InviteTokenSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })

/** `POST /v1/sessions/:id/join`: a private session needs the invite token of its link (members and the host need none). */
export const JoinSessionRequestSchema = Type.Object({ invite: Type.Optional(InviteTokenSchema) }, { additionalProperties: false })
export type JoinSessionRequest = Static<typeof JoinSessionRequestSchema>

/** `GET /v1/sessions/:id/invite` and `POST /v1/sessions/:id/invite` (reset): the current invite link. */
export const InviteResponseSchema = Type.Object({
  token: InviteTokenSchema,
  path: Type.String({ description: 'the link without its origin: /sessions/<id>?invite=<token>' }),
  expiresAt: Type.Union([Type.Number(), Type.Null()], { description: 'server time in ms after which the link stops working; null: never' }),
})
export type InviteResponse = Static<typeof InviteResponseSchema>

/** `POST /v1/sessions/:id/invite` (host only): revokes the current link and issues a new one. */
export const ResetInviteRequestSchema = Type.Object(
  { expiresInMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 * 24 * 365, description: 'omit for a link that does not expire' })) },
  { additionalProperties: false },
)
export type ResetInviteRequest = Static<typeof ResetInviteRequestSchema>

/** What starting a session answers: the first fields of its state, and the revision. */
export const CreateSessionResponseSchema = Type.Composite([
  Type.Pick(SessionStateViewSchema, ['id', 'title', 'videoUrl', 'hostId', 'controlMode']),
  Type.Object({ revision: Revision }),
])
export type CreateSessionResponse = Static<typeof CreateSessionResponseSchema>

/** What a listed session plays now, enough to label it: its title, else the file its URL names, else the local file's name. */
export const LobbyNowPlayingSchema = Type.Object({
  kind: MediaKindSchema,
  title: Type.String({ description: 'as given when it was added; empty when none was' }),
  url: Type.String({ description: 'kind url: the video; empty for a local file' }),
  fileName: Type.Union([Type.String(), Type.Null()], { description: "kind local: the name of the host's file; null for kind url" }),
})
export type LobbyNowPlaying = Static<typeof LobbyNowPlayingSchema>

export const LobbySessionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  hostId: Type.String(),
  visibility: VisibilitySchema,
  videoUrl: Type.String({ description: "what is playing: nowPlaying's url; empty for a local file" }),
  nowPlaying: LobbyNowPlayingSchema,
  watching: Type.Integer({ description: 'people with the session open now, on every replica' }),
  members: Type.Integer({ description: 'number of members' }),
  createdAt: Type.Number(),
})
export type LobbySession = Static<typeof LobbySessionSchema>

export const LOBBY_PAGE = { defaultLimit: 20, maxLimit: 50, queryMaxChars: 100 } as const

/** `GET /v1/sessions`: open public sessions, most watched first, then newest. */
export const LobbyQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: LOBBY_PAGE.queryMaxChars, description: 'words the title must contain (case-insensitive)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LOBBY_PAGE.maxLimit, default: LOBBY_PAGE.defaultLimit })),
    cursor: Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
)
export type LobbyQuery = Static<typeof LobbyQuerySchema>

export const LobbyResponseSchema = Type.Object({
  sessions: Type.Array(LobbySessionSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null on the last' }),
})
export type LobbyResponse = Static<typeof LobbyResponseSchema>

/** `GET /v1/sessions/mine`: the open sessions the caller is a member of, private ones included, newest first. */
export const MySessionsResponseSchema = Type.Object({
  sessions: Type.Array(
    Type.Composite([
      LobbySessionSchema,
      Type.Object({ mayInvite: Type.Boolean({ description: 'whether the caller may share its invite link' }) }),
    ]),
  ),
})
export type MySessionsResponse = Static<typeof MySessionsResponseSchema>

export const RevisionResponseSchema = Type.Object({ revision: Revision })
export type RevisionResponse = Static<typeof RevisionResponseSchema>

/** `GET /v1/sessions/:id/ws`: any id upgrades; an unknown one is refused after `hello` (close 4404). */
export const SessionSocketParamsSchema = Type.Object({ id: Type.String({ description: 'session id' }) })
