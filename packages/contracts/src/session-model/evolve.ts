import type { SessionEvent, SessionEventOf, SessionStateView } from '../session.ts'
import { positionAt } from './playback.ts'

/**
 * What a session is, apart from its id: the part of the state that events change. Server state
 * (with its revision) and the client's view (with the session id) both extend it, and both are
 * advanced by the one `evolveSession` below.
 */
export type SessionFields = Omit<SessionStateView, 'id'>

/** The session as `SessionCreated` opens it: paused at 0, the host its only member. */
export function createdSession(event: SessionEventOf<'SessionCreated'>): SessionFields {
  const { title, videoUrl, hostId, controlMode } = event.data
  return {
    title,
    videoUrl,
    hostId,
    controlMode,
    status: 'open',
    members: [hostId],
    playback: { status: 'paused', position: 0, rate: 1, at: event.at },
    createdAt: event.at,
    endedAt: null,
  }
}

/**
 * Advances an existing session by one event. `SessionCreated` only ever opens a stream, so here
 * it changes nothing. Pure, and plain JSON in and out.
 */
export function evolveSession<S extends SessionFields>(session: S, event: SessionEvent): S {
  switch (event.type) {
    case 'SessionCreated':
    case 'ChatMessagePosted':
      return session
    case 'ViewerJoined':
      return session.members.includes(event.data.userId)
        ? session
        : { ...session, members: [...session.members, event.data.userId] }
    case 'ViewerLeft':
      return { ...session, members: session.members.filter((m) => m !== event.data.userId) }
    case 'PlaybackStarted':
      return { ...session, playback: { ...session.playback, status: 'playing', position: event.data.position, at: event.at } }
    case 'PlaybackPaused':
      return { ...session, playback: { ...session.playback, status: 'paused', position: event.data.position, at: event.at } }
    case 'PlaybackSeeked':
      return { ...session, playback: { ...session.playback, position: event.data.position, at: event.at } }
    case 'PlaybackRateChanged':
      return {
        ...session,
        playback: { ...session.playback, rate: event.data.rate, position: event.data.position, at: event.at },
      }
    case 'VideoChanged':
      return {
        ...session,
        videoUrl: event.data.videoUrl,
        playback: { status: 'paused', position: 0, rate: session.playback.rate, at: event.at },
      }
    case 'ControlModeChanged':
      return { ...session, controlMode: event.data.mode }
    case 'SessionEnded':
      return {
        ...session,
        status: 'ended',
        endedAt: event.at,
        playback: { ...session.playback, status: 'paused', position: positionAt(session.playback, event.at), at: event.at },
      }
    default:
      return assertNever(event)
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`)
}
