import type { PlaybackState } from '../session.ts'

/**
 * Where the video is at server time `now` (ms), in seconds, extrapolating while it plays. Time
 * before `at` counts as none (a client whose clock estimate is a little behind sees the position
 * the event set, not one before it); the result is never negative, and never past `duration`
 * when that is known.
 */
export function positionAt(playback: PlaybackState, now: number, duration?: number): number {
  let position = playback.position
  if (playback.status === 'playing') position += (Math.max(0, now - playback.at) / 1000) * playback.rate
  if (position < 0) position = 0
  if (duration !== undefined && Number.isFinite(duration) && position > duration) position = duration
  return position
}
