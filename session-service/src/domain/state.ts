import { createdSession, evolveSession, type SessionFields, type SessionStateView } from '@tandem/contracts'
import type { SessionEvent } from './events.ts'

/** A session that has been created: the shared session model plus the revision it is at. */
export type ExistingSessionState = SessionFields & { revision: number }

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
  if (event.type === 'SessionCreated') return { ...createdSession(event), revision }
  // Events only ever follow SessionCreated; one that comes first changes nothing but the revision.
  if (state.status === 'none') return { ...state, revision } as SessionState
  return { ...evolveSession(state, event), revision }
}

/** The state as clients see it (`welcome.state`, `GET /v1/sessions/:id`). */
export function toView(id: string, state: ExistingSessionState): SessionStateView {
  const { title, videoUrl, hostId, controlMode, status, members, playback, createdAt, endedAt } = state
  return { id, title, videoUrl, hostId, controlMode, status, members: [...members], playback: { ...playback }, createdAt, endedAt }
}
