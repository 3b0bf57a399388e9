import type { MediaAction, MediaSnapshot } from './sync-decision.ts'

/** The part of an HTMLMediaElement the sync engine uses; a real `<video>` satisfies it. */
export interface MediaElementLike {
  currentTime: number
  playbackRate: number
  readonly paused: boolean
  readonly seeking: boolean
  readonly readyState: number
  play(): Promise<void> | void
  pause(): void
}

/** HTMLMediaElement.HAVE_FUTURE_DATA: enough data to play on for a moment. */
const HAVE_FUTURE_DATA = 3

/** Playing is wanted but the element cannot go on for lack of data. */
export function isBuffering(el: MediaElementLike): boolean {
  return !el.paused && !el.seeking && el.readyState < HAVE_FUTURE_DATA
}

export function snapshotOf(el: MediaElementLike): MediaSnapshot {
  return {
    currentTime: el.currentTime,
    paused: el.paused,
    playbackRate: el.playbackRate,
    seeking: el.seeking,
    buffering: isBuffering(el),
  }
}

/**
 * Applies the controller's actions. A rejected play() (autoplay policy: the page needs a click
 * first) is handed to `onPlayRejected` instead of surfacing as an unhandled rejection.
 */
export function applyActions(
  el: MediaElementLike,
  actions: readonly MediaAction[],
  onPlayRejected: (error: unknown) => void = () => {},
): void {
  for (const action of actions) {
    switch (action.type) {
      case 'seek':
        el.currentTime = action.position
        break
      case 'rate':
        el.playbackRate = action.rate
        break
      case 'pause':
        el.pause()
        break
      case 'play': {
        try {
          const started = el.play()
          if (started !== undefined) started.catch(onPlayRejected)
        } catch (error) {
          onPlayRejected(error)
        }
        break
      }
    }
  }
}
