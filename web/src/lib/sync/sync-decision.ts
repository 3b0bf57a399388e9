import type { PlaybackState } from '@tandem/contracts'

/** What the controller needs to know about the local `<video>` at one instant. */
export interface MediaSnapshot {
  /** seconds */
  currentTime: number
  paused: boolean
  playbackRate: number
  seeking: boolean
  /** playing is wanted but the element has no data to go on (`waiting`, readyState < 3) */
  buffering: boolean
}

export type MediaAction =
  | { type: 'seek'; position: number }
  | { type: 'rate'; rate: number }
  | { type: 'play' }
  | { type: 'pause' }

/** Where the shared playback is right now, in the local element's terms. */
export interface SyncTarget {
  status: PlaybackState['status']
  /** expected position now, seconds */
  position: number
  /** the session's playback rate */
  rate: number
  /** changes whenever the shared state changes (a play, pause, seek or rate event) */
  version: number
}

/** `off`: auto-sync is off; the element follows shared changes but its drift is not corrected. */
export type SyncStatus = 'in-sync' | 'correcting' | 'buffering' | 'off'

export type ControllerMode =
  /** drift is small; the element plays at the session's rate */
  | 'idle'
  /** medium drift; the element plays slightly faster or slower until it is gone */
  | 'nudging'
  /** a seek (ours, or one the element is still doing) has not landed yet */
  | 'seeking'
  /** play() was asked for and the element has not started moving yet */
  | 'starting'
  /** the element just landed or started: watched without acting, so its drift is real */
  | 'settling'
  /** the element stalled for lack of data; nothing is chased until it moves again */
  | 'buffering'
  /** the shared state is paused and so is the element */
  | 'paused'
  /** auto-sync is off: shared changes are followed, drift is not corrected (follow-controller.ts) */
  | 'off'

export interface SyncDecision {
  actions: MediaAction[]
  status: SyncStatus
  mode: ControllerMode
  /** currentTime − expected position, seconds; positive = the element is ahead */
  drift: number
}
