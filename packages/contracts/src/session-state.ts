/** The state of a session, as sent in `welcome` and by `GET /v1/sessions/:id`. */
import { Type, type Static } from '@sinclair/typebox'
import { ControlModeSchema, EndReasonSchema, VisibilitySchema } from './session-limits.ts'
import { MediaItemSchema } from './session-media.ts'

export const PlaybackStateSchema = Type.Object({
  status: Type.Union([Type.Literal('playing'), Type.Literal('paused')]),
  position: Type.Number({ description: 'seconds at server time `at`; while playing: position + (now − at) / 1000 × rate' }),
  rate: Type.Number(),
  at: Type.Number({ description: 'server time in ms' }),
})
export type PlaybackState = Static<typeof PlaybackStateSchema>

export const SessionStateViewSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  videoUrl: Type.String({ description: "nowPlaying's url; empty for a local file" }),
  nowPlaying: MediaItemSchema,
  queue: Type.Array(MediaItemSchema, { description: 'what plays after nowPlaying, in order' }),
  hostId: Type.String(),
  coHostIds: Type.Array(Type.String(), { description: 'members the host named co-hosts: they control playback in host mode and may share the invite link' }),
  controlMode: ControlModeSchema,
  visibility: VisibilitySchema,
  membersMayInvite: Type.Boolean({ description: 'whether every member, not only the host and co-hosts, may share the invite link' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('ended')]),
  members: Type.Array(Type.String(), { description: 'user ids of the members, in order of joining' }),
  playback: PlaybackStateSchema,
  createdAt: Type.Number(),
  endedAt: Type.Union([Type.Number(), Type.Null()]),
  endReason: Type.Union([EndReasonSchema, Type.Null()]),
})
export type SessionStateView = Static<typeof SessionStateViewSchema>
