/**
 * Wire types of a watch session: its events, the state sent in `welcome`, and the WebSocket
 * protocol of `GET /v1/sessions/:id/ws` (docs/protocol.md describes the exchange).
 *
 * Times are milliseconds since the epoch on the server clock; positions are seconds of video.
 */

export type ControlMode = 'host' | 'everyone'
export const CONTROL_MODES: readonly ControlMode[] = ['host', 'everyone']

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
  /** Text frames larger than this get `error{code:'frame_too_large'}`. */
  maxFrameBytes: 16 * 1024,
  /** A client must send `hello` within this many ms of opening the socket. */
  helloTimeoutMs: 5000,
  historyMaxLimit: 200,
  presenceMaxViewers: 100,
} as const

// ---------------------------------------------------------------------------------------------
// Events (stored in the stream `session-<id>`, past tense)

export interface SessionEventDataMap {
  SessionCreated: { title: string; videoUrl: string; hostId: string; controlMode: ControlMode }
  ViewerJoined: { userId: string }
  ViewerLeft: { userId: string }
  PlaybackStarted: { position: number }
  PlaybackPaused: { position: number }
  PlaybackSeeked: { from: number; position: number }
  PlaybackRateChanged: { rate: number; position: number }
  ChatMessagePosted: { messageId: string; text: string; videoPosition: number }
  VideoChanged: { videoUrl: string }
  ControlModeChanged: { mode: ControlMode }
  SessionEnded: Record<string, never>
}

export type SessionEventType = keyof SessionEventDataMap

export const SESSION_EVENT_TYPES: readonly SessionEventType[] = [
  'SessionCreated',
  'ViewerJoined',
  'ViewerLeft',
  'PlaybackStarted',
  'PlaybackPaused',
  'PlaybackSeeked',
  'PlaybackRateChanged',
  'ChatMessagePosted',
  'VideoChanged',
  'ControlModeChanged',
  'SessionEnded',
]

/** One event as clients see it: `at` is server time in ms, `by` the acting user id. */
export type SessionEvent = {
  [K in SessionEventType]: { type: K; data: SessionEventDataMap[K]; at: number; by: string }
}[SessionEventType]

export type SessionEventOf<K extends SessionEventType> = Extract<SessionEvent, { type: K }>

/** An event with its revision in the session's stream (0 for `SessionCreated`). */
export interface RevisionedSessionEvent {
  revision: number
  event: SessionEvent
}

// ---------------------------------------------------------------------------------------------
// State (sent in `welcome`, and by `GET /v1/sessions/:id` together with `revision`)

export interface PlaybackState {
  status: 'playing' | 'paused'
  /** Position in seconds at server time `at`. While playing: position + (now − at) / 1000 × rate. */
  position: number
  rate: number
  at: number
}

export interface SessionStateView {
  id: string
  title: string
  videoUrl: string
  hostId: string
  controlMode: ControlMode
  status: 'open' | 'ended'
  /** User ids of the members, in order of joining. */
  members: string[]
  playback: PlaybackState
  createdAt: number
  endedAt: number | null
}

export interface SessionResponse extends SessionStateView {
  revision: number
}

export interface CreateSessionRequest {
  title: string
  videoUrl: string
  controlMode?: ControlMode
}

export interface CreateSessionResponse {
  id: string
  title: string
  videoUrl: string
  hostId: string
  controlMode: ControlMode
  revision: number
}

export interface LobbySession {
  id: string
  title: string
  hostId: string
  /** Number of members. */
  viewers: number
  createdAt: number
}

export interface LobbyResponse {
  sessions: LobbySession[]
}

export interface RevisionResponse {
  revision: number
}

// ---------------------------------------------------------------------------------------------
// Commands a client may send over the socket (`command{id, command}`)

export type ClientCommand =
  | { type: 'play'; position: number }
  | { type: 'pause'; position: number }
  | { type: 'seek'; position: number }
  | { type: 'rate'; rate: number; position: number }
  | { type: 'chat'; text: string; videoPosition: number }
  | { type: 'video'; videoUrl: string }
  | { type: 'controlMode'; mode: ControlMode }
  | { type: 'join' }
  | { type: 'leave' }
  | { type: 'end' }

export type ClientCommandType = ClientCommand['type']

// ---------------------------------------------------------------------------------------------
// Client → server messages

export interface HelloMessage {
  type: 'hello'
  token: string
  /** Last revision the client has applied; the server then sends every event after it. */
  since?: number
}
export interface CommandMessage {
  type: 'command'
  /** Client-chosen id (1–64 chars); a retry with the same id is acknowledged without a new event. */
  id: string
  command: ClientCommand
}
export interface ScrubMessage {
  type: 'scrub'
  position: number
}
export interface PingMessage {
  type: 'ping'
  /** Client clock when sent. */
  t0: number
}
export interface HistoryRequestMessage {
  type: 'history'
  /** Return events with revision < before (omit for the latest). */
  before?: number
  limit: number
}
export interface ReportMessage {
  type: 'report'
  position: number
  buffering: boolean
}

export type ClientMessage =
  | HelloMessage
  | CommandMessage
  | ScrubMessage
  | PingMessage
  | HistoryRequestMessage
  | ReportMessage

export type ClientMessageType = ClientMessage['type']

// ---------------------------------------------------------------------------------------------
// Server → client messages

export interface WelcomeMessage {
  type: 'welcome'
  revision: number
  state: SessionStateView
  serverTime: number
  /** The authenticated user, so a client need not decode its token. */
  userId: string
}
export interface EventMessage {
  type: 'event'
  revision: number
  event: SessionEvent
}
export interface AckMessage {
  type: 'ack'
  id: string
  /** Revision of the last event the command produced (or the current one if it produced none). */
  revision: number
}
export interface RejectMessage {
  type: 'reject'
  id: string
  code: RejectCode
  message: string
}
export interface PongMessage {
  type: 'pong'
  t0: number
  /** Server clock when the ping arrived. */
  t1: number
  /** Server clock when the pong left. */
  t2: number
}
export interface ScrubPreviewMessage {
  type: 'scrub'
  userId: string
  position: number
}
export interface HistoryMessage {
  type: 'history'
  /** Newest first. */
  events: RevisionedSessionEvent[]
  hasMore: boolean
}
export interface PresenceViewer {
  userId: string
  /** Last reported position in seconds, null until the viewer reports. */
  position: number | null
  buffering: boolean
  /** Server time of the last report. */
  reportedAt: number | null
}
export interface PresenceMessage {
  type: 'presence'
  /** Buffering viewers first; at most `SESSION_LIMITS.presenceMaxViewers` of them. */
  viewers: PresenceViewer[]
  /** Everyone watching, also those left out of `viewers` in a large session. */
  total: number
}
export interface ErrorMessage {
  type: 'error'
  code: ProtocolErrorCode
  message: string
}

export type ServerMessage =
  | WelcomeMessage
  | EventMessage
  | AckMessage
  | RejectMessage
  | PongMessage
  | ScrubPreviewMessage
  | HistoryMessage
  | PresenceMessage
  | ErrorMessage

// ---------------------------------------------------------------------------------------------
// Codes

/** Why a command was refused (`reject{id, code}`); also the `error.code` of REST commands. */
export type RejectCode =
  | 'not_member'
  | 'not_host'
  | 'session_not_found'
  | 'session_exists'
  | 'session_ended'
  | 'invalid_position'
  | 'invalid_rate'
  | 'invalid_chat'
  | 'invalid_title'
  | 'invalid_video_url'
  | 'invalid_control_mode'
  | 'invalid_command'
  | 'rate_limited'
  | 'conflict'
  | 'unavailable'

/** Problems with a frame that is not a well-formed command (`error{code}`). */
export type ProtocolErrorCode =
  | 'malformed_json'
  | 'unknown_type'
  | 'invalid_message'
  | 'frame_too_large'
  | 'unsupported_frame'
  | 'hello_required'
  | 'hello_repeated'
  | 'hello_timeout'
  | 'invalid_token'
  | 'session_not_found'
  | 'not_member'
  | 'not_host'
  | 'rate_limited'
  | 'slow_consumer'
  | 'internal'

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
  /** The server is shutting down; reconnect (possibly to another replica) with `since`. */
  goingAway: 1001,
} as const
