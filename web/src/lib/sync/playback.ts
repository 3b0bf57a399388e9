/**
 * The shared playback state as the server describes it (`welcome.state.playback`, and the state
 * after each playback event): where the video was at server time `at`, and how it moves since.
 */
export type PlaybackStatus = 'playing' | 'paused'

export interface PlaybackState {
  status: PlaybackStatus
  /** seconds into the video at server time `at` */
  position: number
  rate: number
  /** server time, ms since epoch */
  at: number
}

/**
 * Where the video should be at server time `serverNow`, in seconds. Never negative, and never
 * past `duration` when it is known.
 */
export function expectedPosition(state: PlaybackState, serverNow: number, duration?: number): number {
  let position = state.position
  if (state.status === 'playing') position += ((serverNow - state.at) / 1000) * state.rate
  if (position < 0) position = 0
  if (duration !== undefined && Number.isFinite(duration) && position > duration) position = duration
  return position
}
