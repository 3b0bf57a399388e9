import type { ControlMode, PlaybackState, SessionStateView } from '@tandem/contracts'
import type { SessionEvent } from './events.ts'

/** How many recent command ids a session remembers to acknowledge retries without new events. */
export const RECENT_COMMANDS_KEPT = 256

export interface AppliedCommand {
  id: string
  /** Revision of the last event the command produced. */
  revision: number
}

export interface OpenSessionFields {
  title: string
  videoUrl: string
  hostId: string
  controlMode: ControlMode
  members: string[]
  playback: PlaybackState
  createdAt: number
}

/**
 * The state the decider needs, folded from the events of one stream. `revision` is the revision
 * of the last event applied (−1 before the first), so it is also the expected revision of the
 * next append. It must stay plain JSON: snapshots store it as is.
 */
export type SessionState =
  | { status: 'none'; revision: -1; recentCommands: AppliedCommand[] }
  | ({ status: 'open'; revision: number; recentCommands: AppliedCommand[] } & OpenSessionFields)
  | ({
      status: 'ended'
      revision: number
      recentCommands: AppliedCommand[]
      endedAt: number
    } & OpenSessionFields)

export type ExistingSessionState = Exclude<SessionState, { status: 'none' }>

export const initialState: SessionState = Object.freeze({
  status: 'none',
  revision: -1,
  recentCommands: [],
}) as SessionState

/** Where the video is at server time `now`, extrapolating while it plays. */
export function positionAt(playback: PlaybackState, now: number): number {
  if (playback.status === 'paused') return playback.position
  const elapsedSeconds = Math.max(0, now - playback.at) / 1000
  return playback.position + elapsedSeconds * playback.rate
}

/**
 * Applies one event. `commandId` is the id from the event's metadata, remembered so that a
 * retry of the same command is recognised.
 */
export function evolve(state: SessionState, event: SessionEvent, commandId?: string): SessionState {
  const revision = state.revision + 1
  const recentCommands = commandId ? remember(state.recentCommands, commandId, revision) : state.recentCommands
  const next = apply(state, event)
  return { ...next, revision, recentCommands } as SessionState
}

function apply(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === 'SessionCreated') {
    const { title, videoUrl, hostId, controlMode } = event.data
    return {
      status: 'open',
      revision: state.revision,
      recentCommands: state.recentCommands,
      title,
      videoUrl,
      hostId,
      controlMode,
      members: [hostId],
      playback: { status: 'paused', position: 0, rate: 1, at: event.at },
      createdAt: event.at,
    }
  }
  // Events only ever follow SessionCreated; a stream that breaks this is left as it is.
  if (state.status === 'none') return state
  switch (event.type) {
    case 'ViewerJoined':
      return state.members.includes(event.data.userId)
        ? state
        : { ...state, members: [...state.members, event.data.userId] }
    case 'ViewerLeft':
      return { ...state, members: state.members.filter((m) => m !== event.data.userId) }
    case 'PlaybackStarted':
      return {
        ...state,
        playback: { ...state.playback, status: 'playing', position: event.data.position, at: event.at },
      }
    case 'PlaybackPaused':
      return {
        ...state,
        playback: { ...state.playback, status: 'paused', position: event.data.position, at: event.at },
      }
    case 'PlaybackSeeked':
      return { ...state, playback: { ...state.playback, position: event.data.position, at: event.at } }
    case 'PlaybackRateChanged':
      return {
        ...state,
        playback: { ...state.playback, rate: event.data.rate, position: event.data.position, at: event.at },
      }
    case 'ChatMessagePosted':
      return state
    case 'VideoChanged':
      return {
        ...state,
        videoUrl: event.data.videoUrl,
        playback: { status: 'paused', position: 0, rate: state.playback.rate, at: event.at },
      }
    case 'ControlModeChanged':
      return { ...state, controlMode: event.data.mode }
    case 'SessionEnded':
      return {
        ...state,
        status: 'ended',
        endedAt: event.at,
        playback: { ...state.playback, status: 'paused', position: positionAt(state.playback, event.at), at: event.at },
      }
    default:
      return assertNever(event)
  }
}

function remember(recent: AppliedCommand[], id: string, revision: number): AppliedCommand[] {
  const kept = recent.filter((c) => c.id !== id)
  kept.push({ id, revision })
  return kept.length > RECENT_COMMANDS_KEPT ? kept.slice(kept.length - RECENT_COMMANDS_KEPT) : kept
}

export function appliedCommand(state: SessionState, id: string): AppliedCommand | undefined {
  for (let i = state.recentCommands.length - 1; i >= 0; i--) {
    const c = state.recentCommands[i]!
    if (c.id === id) return c
  }
  return undefined
}

export function foldEvents(events: Iterable<{ event: SessionEvent; commandId?: string | null }>, from = initialState): SessionState {
  let state = from
  for (const { event, commandId } of events) state = evolve(state, event, commandId ?? undefined)
  return state
}

/** The state as clients see it (`welcome.state`, `GET /v1/sessions/:id`). */
export function toView(id: string, state: ExistingSessionState): SessionStateView {
  return {
    id,
    title: state.title,
    videoUrl: state.videoUrl,
    hostId: state.hostId,
    controlMode: state.controlMode,
    status: state.status,
    members: [...state.members],
    playback: { ...state.playback },
    createdAt: state.createdAt,
    endedAt: state.status === 'ended' ? state.endedAt : null,
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`)
}
