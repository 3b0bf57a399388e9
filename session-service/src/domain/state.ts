import { createdSession, evolveSession, type SessionFields, type SessionStateView } from '@tandem/contracts'
import type { SessionEvent } from './events.ts'

/** The invite link that works now: its id and when it stops working (null: never). */
export interface CurrentInvite {
  id: string
  expiresAt: number | null
}

/**
 * A session that has been created: the shared session model, the current invite (which only
 * the service knows) and the revision it is at.
 */
export type ExistingSessionState = SessionFields & { invite: CurrentInvite | null; revision: number }

/**
 * The state the decider needs, folded from the events of one stream. `revision` is the revision
 * of the last event applied (−1 before the first), so it is also the expected revision of the
 * next append. It must stay plain JSON: snapshots store it as is.
 */
export type SessionState = { status: 'none'; revision: -1 } | ExistingSessionState

export const initialState: SessionState = Object.freeze({ status: 'none', revision: -1 })

/** Applies one event: the shared model changes the session, the revision counts the event. */
export function evolve(state: SessionState, event: SessionEvent): SessionState {
  const revision = state.revision + 1
  if (event.type === 'SessionCreated') {
    const { inviteId } = event.data
    return { ...createdSession(event), invite: inviteId === undefined ? null : { id: inviteId, expiresAt: null }, revision }
  }
  // Events only ever follow SessionCreated; one that comes first changes nothing but the revision.
  if (state.status === 'none') return { ...state, revision } as SessionState
  const invite = event.type === 'InviteIssued' ? { id: event.data.inviteId, expiresAt: event.data.expiresAt } : state.invite
  return { ...evolveSession(state, event), invite, revision }
}

/** The state as clients see it (`welcome.state`, `GET /v1/sessions/:id`): no invite. */
export function toView(id: string, state: ExistingSessionState): SessionStateView {
  const { title, videoUrl, nowPlaying, queue, hostId, coHostIds, controlMode, visibility, membersMayInvite, status, members, playback, createdAt, endedAt, endReason } = state
  return {
    id,
    title,
    videoUrl,
    nowPlaying: structuredClone(nowPlaying),
    queue: structuredClone(queue),
    hostId,
    coHostIds: [...coHostIds],
    controlMode,
    visibility,
    membersMayInvite,
    status,
    members: [...members],
    playback: { ...playback },
    createdAt,
    endedAt,
    endReason,
  }
}
