import type { PlaybackState, SessionEvent, SessionStateView } from '@tandem/contracts'

/** Where the video is at server time `now` (ms), extrapolating while it plays. */
export function positionAt(playback: PlaybackState, now: number): number {
  if (playback.status === 'paused') return playback.position
  return playback.position + (Math.max(0, now - playback.at) / 1000) * playback.rate
}

/**
 * The session state as the client holds it, advanced by one event: the same rules as
 * session-service's `evolve`, so the state after an event equals the one a fresh `welcome`
 * would bring.
 */
export function evolveView(view: SessionStateView, event: SessionEvent): SessionStateView {
  switch (event.type) {
    case 'SessionCreated':
      return view
    case 'ViewerJoined':
      return view.members.includes(event.data.userId) ? view : { ...view, members: [...view.members, event.data.userId] }
    case 'ViewerLeft':
      return { ...view, members: view.members.filter((m) => m !== event.data.userId) }
    case 'PlaybackStarted':
      return { ...view, playback: { ...view.playback, status: 'playing', position: event.data.position, at: event.at } }
    case 'PlaybackPaused':
      return { ...view, playback: { ...view.playback, status: 'paused', position: event.data.position, at: event.at } }
    case 'PlaybackSeeked':
      return { ...view, playback: { ...view.playback, position: event.data.position, at: event.at } }
    case 'PlaybackRateChanged':
      return { ...view, playback: { ...view.playback, rate: event.data.rate, position: event.data.position, at: event.at } }
    case 'ChatMessagePosted':
      return view
    case 'VideoChanged':
      return {
        ...view,
        videoUrl: event.data.videoUrl,
        playback: { status: 'paused', position: 0, rate: view.playback.rate, at: event.at },
      }
    case 'ControlModeChanged':
      return { ...view, controlMode: event.data.mode }
    case 'SessionEnded':
      return {
        ...view,
        status: 'ended',
        endedAt: event.at,
        playback: { ...view.playback, status: 'paused', position: positionAt(view.playback, event.at), at: event.at },
      }
  }
}

/** Whether `userId` may play, pause, seek, scrub and change the rate. */
export function mayControl(view: SessionStateView, userId: string): boolean {
  return view.status === 'open' && view.members.includes(userId) && (view.controlMode === 'everyone' || view.hostId === userId)
}
