import type { SessionEvent, SessionEventOf, SessionStateView } from '../session.ts'
import { playingItemOf, queueWith, queueWithMoved, queueWithout, urlItem } from './media-queue.ts'
import { positionAt } from './playback.ts'

/**
 * What a session is, apart from its id: the part of the state that events change. Server state
 * (with its revision) and the client's view (with the session id) both extend it, and both are
 * advanced by the one `evolveSession` below.
 */
export type SessionFields = Omit<SessionStateView, 'id'>

/** The session as `SessionCreated` opens it: paused at 0, the host its only member. */
export function createdSession(event: SessionEventOf<'SessionCreated'>): SessionFields {
  const { title, videoUrl, hostId, controlMode, visibility = 'public' } = event.data
  return {
    title,
    videoUrl,
    nowPlaying: urlItem('r0', videoUrl, hostId),
    queue: [],
    hostId,
    coHostIds: [],
    controlMode,
    visibility,
    membersMayInvite: false,
    status: 'open',
    members: [hostId],
    playback: { status: 'paused', position: 0, rate: 1, at: event.at },
    createdAt: event.at,
    endedAt: null,
    endReason: null,
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
    case 'InviteIssued':
    case 'ReactionSent':
      return session
    case 'ViewerJoined':
      return session.members.includes(event.data.userId)
        ? session
        : { ...session, members: [...session.members, event.data.userId] }
    case 'ViewerLeft': {
      const stays = (m: string) => m !== event.data.userId
      return { ...session, members: session.members.filter(stays), coHostIds: session.coHostIds.filter(stays) }
    }
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
    case 'VideoChanged': {
      const item = playingItemOf(event)
      return {
        ...session,
        videoUrl: item.url,
        nowPlaying: item,
        queue: queueWithout(session.queue, item.itemId),
        playback: { status: event.data.playing === true ? 'playing' : 'paused', position: 0, rate: session.playback.rate, at: event.at },
      }
    }
    case 'QueueItemAdded':
      return { ...session, queue: queueWith(session.queue, event.data.item, event.data.index) }
    case 'QueueItemRemoved':
      return { ...session, queue: queueWithout(session.queue, event.data.itemId) }
    case 'QueueReordered':
      return { ...session, queue: queueWithMoved(session.queue, event.data.itemId, event.data.index) }
    case 'ControlModeChanged':
      return { ...session, controlMode: event.data.mode }
    case 'VisibilityChanged':
      return { ...session, visibility: event.data.visibility }
    case 'InvitePolicyChanged':
      return { ...session, membersMayInvite: event.data.membersMayInvite }
    case 'HostChanged':
      // The new host is no longer a co-host: hosting covers it.
      return { ...session, hostId: event.data.hostId, coHostIds: session.coHostIds.filter((m) => m !== event.data.hostId) }
    case 'CoHostAdded':
      return session.coHostIds.includes(event.data.userId) ? session : { ...session, coHostIds: [...session.coHostIds, event.data.userId] }
    case 'CoHostRemoved':
      return { ...session, coHostIds: session.coHostIds.filter((m) => m !== event.data.userId) }
    case 'SessionEnded':
      return {
        ...session,
        status: 'ended',
        endedAt: event.at,
        endReason: event.data.reason ?? 'host',
        playback: { ...session.playback, status: 'paused', position: positionAt(session.playback, event.at), at: event.at },
      }
    default:
      return assertNever(event)
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`)
}
