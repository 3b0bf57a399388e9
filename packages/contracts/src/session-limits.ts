/** Limits, control modes and socket close codes of a watch session. */
import type { Static } from '@sinclair/typebox'
import { literalUnion } from './literal-union.ts'

export const ControlModeSchema = literalUnion(['host', 'everyone'], {
  description: 'who may control playback: only the host, or every member',
})
export type ControlMode = Static<typeof ControlModeSchema>
export const CONTROL_MODES: readonly ControlMode[] = ControlModeSchema.anyOf.map((literal) => literal.const)

export const VisibilitySchema = literalUnion(['private', 'public'], {
  description: 'private: not listed, joined through an invite link; public: listed in the lobby, anyone signed in may join',
})
export type Visibility = Static<typeof VisibilitySchema>
export const VISIBILITIES: readonly Visibility[] = VisibilitySchema.anyOf.map((literal) => literal.const)

/** Why a session ended: its host ended it, or nobody was connected for the idle time. */
export const EndReasonSchema = literalUnion(['host', 'idle'])
export type EndReason = Static<typeof EndReasonSchema>

/** How control passed to someone else: handed over by the host, on the host leaving, or after the host was gone too long. */
export const HostChangeReasonSchema = literalUnion(['handed_over', 'host_left', 'host_gone'])
export type HostChangeReason = Static<typeof HostChangeReasonSchema>

/** The `by` of events the service appends on its own (a host gone too long, an idle session ending). */
export const SYSTEM_ACTOR = 'system'

/** Limits enforced by session-service; clients may use them to validate early. */
export const SESSION_LIMITS = {
  minRate: 0.25,
  maxRate: 4,
  /** Positions above this (one week of video) are refused as nonsense. */
  maxPosition: 7 * 24 * 3600,
  chatMinChars: 1,
  chatMaxChars: 500,
  titleMaxChars: 120,
  videoUrlMaxChars: 2048,
  fileNameMaxChars: 255,
  /** Text frames larger than this get `error{code:'frame_too_large'}`. */
  maxFrameBytes: 16 * 1024,
  /** A client must send `hello` within this many ms of opening the socket. */
  helloTimeoutMs: 5000,
  historyMaxLimit: 200,
  presenceMaxViewers: 100,
} as const

/** Close codes used by the server. */
export const SESSION_SOCKET_CLOSE = {
  /** No hello in time, a bad or expired token, or a first frame that is not hello. */
  unauthenticated: 4401,
  sessionNotFound: 4404,
  /** Too many frames of bad input. */
  abuse: 4400,
  /** Kept flooding after being rate limited. */
  rateLimited: 4429,
  /** The client read too slowly; reconnect with `since`. */
  slowConsumer: 4408,
  /** The user already has the most sockets allowed open (in this session or in all); retry later, with backoff. */
  tooManySockets: 4409,
  /** The server is shutting down; reconnect (possibly to another replica) with `since`. */
  goingAway: 1001,
  /**
   * This replica is draining (a rolling restart or scale-in): reconnect now, through the
   * balancer, with `since`. Sockets are closed with it spread over a few seconds, so their
   * reconnects do not arrive at once.
   */
  draining: 4503,
} as const
