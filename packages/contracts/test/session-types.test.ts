import t from 'tap'
import type * as Wire from '../src/index.ts'

// The session wire types are the static types of their schemas. They must stay exactly the
// types the services and the web client were written against, copied here as they were.

/** True only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(..._proof: Equal<A, B> extends true ? [] : [never]): true => true

declare namespace Hand {
  type ControlMode = 'host' | 'everyone'
  interface SessionEventDataMap {
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
  type SessionEventType = keyof SessionEventDataMap
  type SessionEvent = {
    [K in SessionEventType]: { type: K; data: SessionEventDataMap[K]; at: number; by: string }
  }[SessionEventType]
  type SessionEventOf<K extends SessionEventType> = Extract<SessionEvent, { type: K }>
  interface RevisionedSessionEvent {
    revision: number
    event: SessionEvent
  }
  interface PlaybackState {
    status: 'playing' | 'paused'
      position: number
    rate: number
    at: number
  }
  interface SessionStateView {
    id: string
    title: string
    videoUrl: string
    hostId: string
    controlMode: ControlMode
    status: 'open' | 'ended'
      members: string[]
    playback: PlaybackState
    createdAt: number
    endedAt: number | null
  }
  interface SessionResponse extends SessionStateView {
    revision: number
  }
  interface CreateSessionRequest {
    title: string
    videoUrl: string
    controlMode?: ControlMode
  }
  interface CreateSessionResponse {
    id: string
    title: string
    videoUrl: string
    hostId: string
    controlMode: ControlMode
    revision: number
  }
  interface LobbySession {
    id: string
    title: string
    hostId: string
      viewers: number
    createdAt: number
  }
  interface LobbyResponse {
    sessions: LobbySession[]
  }
  interface RevisionResponse {
    revision: number
  }
  type ClientCommand = { type: 'play'; position: number } | { type: 'pause'; position: number } | { type: 'seek'; position: number } | { type: 'rate'; rate: number; position: number } | { type: 'chat'; text: string; videoPosition: number } | { type: 'video'; videoUrl: string } | { type: 'controlMode'; mode: ControlMode } | { type: 'join' } | { type: 'leave' } | { type: 'end' }
  type ClientCommandType = ClientCommand['type']
  interface HelloMessage {
    type: 'hello'
    token: string
      since?: number
  }
  interface CommandMessage {
    type: 'command'
      id: string
    command: ClientCommand
  }
  interface ScrubMessage {
    type: 'scrub'
    position: number
  }
  interface PingMessage {
    type: 'ping'
      t0: number
  }
  interface HistoryRequestMessage {
    type: 'history'
      before?: number
    limit: number
  }
  interface ReportMessage {
    type: 'report'
    position: number
    buffering: boolean
  }
  type ClientMessage = HelloMessage | CommandMessage | ScrubMessage | PingMessage | HistoryRequestMessage | ReportMessage
  type ClientMessageType = ClientMessage['type']
  interface WelcomeMessage {
    type: 'welcome'
    revision: number
    state: SessionStateView
    serverTime: number
      userId: string
  }
  interface EventMessage {
    type: 'event'
    revision: number
    event: SessionEvent
  }
  interface AckMessage {
    type: 'ack'
    id: string
      revision: number
  }
  interface RejectMessage {
    type: 'reject'
    id: string
    code: RejectCode
    message: string
  }
  interface PongMessage {
    type: 'pong'
    t0: number
      t1: number
      t2: number
  }
  interface ScrubPreviewMessage {
    type: 'scrub'
    userId: string
    position: number
  }
  interface HistoryMessage {
    type: 'history'
      events: RevisionedSessionEvent[]
    hasMore: boolean
  }
  interface PresenceViewer {
    userId: string
      position: number | null
    buffering: boolean
      reportedAt: number | null
  }
  interface PresenceMessage {
    type: 'presence'
      viewers: PresenceViewer[]
      total: number
  }
  interface ErrorMessage {
    type: 'error'
    code: ProtocolErrorCode
    message: string
  }
  type ServerMessage = WelcomeMessage | EventMessage | AckMessage | RejectMessage | PongMessage | ScrubPreviewMessage | HistoryMessage | PresenceMessage | ErrorMessage
  type RejectCode = 'not_member' | 'not_host' | 'session_not_found' | 'session_exists' | 'session_ended' | 'invalid_position' | 'invalid_rate' | 'invalid_chat' | 'invalid_title' | 'invalid_video_url' | 'invalid_control_mode' | 'invalid_command' | 'rate_limited' | 'conflict' | 'unavailable'
  type ProtocolErrorCode = 'malformed_json' | 'unknown_type' | 'invalid_message' | 'frame_too_large' | 'unsupported_frame' | 'hello_required' | 'hello_repeated' | 'hello_timeout' | 'invalid_token' | 'session_not_found' | 'not_member' | 'not_host' | 'rate_limited' | 'slow_consumer' | 'internal'
}

const proofs = {
  ControlMode: same<Wire.ControlMode, Hand.ControlMode>(),
  SessionEventDataMap: same<Wire.SessionEventDataMap, Hand.SessionEventDataMap>(),
  SessionEventType: same<Wire.SessionEventType, Hand.SessionEventType>(),
  SessionEvent: same<Wire.SessionEvent, Hand.SessionEvent>(),
  RevisionedSessionEvent: same<Wire.RevisionedSessionEvent, Hand.RevisionedSessionEvent>(),
  PlaybackState: same<Wire.PlaybackState, Hand.PlaybackState>(),
  SessionStateView: same<Wire.SessionStateView, Hand.SessionStateView>(),
  SessionResponse: same<Wire.SessionResponse, Hand.SessionResponse>(),
  CreateSessionRequest: same<Wire.CreateSessionRequest, Hand.CreateSessionRequest>(),
  CreateSessionResponse: same<Wire.CreateSessionResponse, Hand.CreateSessionResponse>(),
  LobbySession: same<Wire.LobbySession, Hand.LobbySession>(),
  LobbyResponse: same<Wire.LobbyResponse, Hand.LobbyResponse>(),
  RevisionResponse: same<Wire.RevisionResponse, Hand.RevisionResponse>(),
  ClientCommand: same<Wire.ClientCommand, Hand.ClientCommand>(),
  ClientCommandType: same<Wire.ClientCommandType, Hand.ClientCommandType>(),
  HelloMessage: same<Wire.HelloMessage, Hand.HelloMessage>(),
  CommandMessage: same<Wire.CommandMessage, Hand.CommandMessage>(),
  ScrubMessage: same<Wire.ScrubMessage, Hand.ScrubMessage>(),
  PingMessage: same<Wire.PingMessage, Hand.PingMessage>(),
  HistoryRequestMessage: same<Wire.HistoryRequestMessage, Hand.HistoryRequestMessage>(),
  ReportMessage: same<Wire.ReportMessage, Hand.ReportMessage>(),
  ClientMessage: same<Wire.ClientMessage, Hand.ClientMessage>(),
  ClientMessageType: same<Wire.ClientMessageType, Hand.ClientMessageType>(),
  WelcomeMessage: same<Wire.WelcomeMessage, Hand.WelcomeMessage>(),
  EventMessage: same<Wire.EventMessage, Hand.EventMessage>(),
  AckMessage: same<Wire.AckMessage, Hand.AckMessage>(),
  RejectMessage: same<Wire.RejectMessage, Hand.RejectMessage>(),
  PongMessage: same<Wire.PongMessage, Hand.PongMessage>(),
  ScrubPreviewMessage: same<Wire.ScrubPreviewMessage, Hand.ScrubPreviewMessage>(),
  HistoryMessage: same<Wire.HistoryMessage, Hand.HistoryMessage>(),
  PresenceViewer: same<Wire.PresenceViewer, Hand.PresenceViewer>(),
  PresenceMessage: same<Wire.PresenceMessage, Hand.PresenceMessage>(),
  ErrorMessage: same<Wire.ErrorMessage, Hand.ErrorMessage>(),
  ServerMessage: same<Wire.ServerMessage, Hand.ServerMessage>(),
  RejectCode: same<Wire.RejectCode, Hand.RejectCode>(),
  ProtocolErrorCode: same<Wire.ProtocolErrorCode, Hand.ProtocolErrorCode>(),
  SessionEventOf: same<Wire.SessionEventOf<'PlaybackSeeked'>, Hand.SessionEventOf<'PlaybackSeeked'>>(),
}

t.test('every session wire type is its hand-written form', async (t) => {
  t.ok(Object.values(proofs).every(Boolean), 'checked by the type checker (npm run typecheck)')
})
