import { DEFAULT_BANDS, seekAim, type DriftBands } from './drift-bands.ts'
import type { MediaAction, MediaSnapshot, SyncDecision, SyncTarget } from './sync-decision.ts'

/**
 * Drives the element while auto-sync is off (the profile's default, or the watch page's switch):
 * it follows what people in the room do and nothing else. Each new shared state (a play, pause,
 * jump or rate change) is followed once: the element is paused or started, and moved if it is
 * far from the new position. In between, the element's drift is left alone, and its rate is
 * always exactly the session's: a correction rate (nudge or trim) would make it creep away from
 * the room by up to 80 ms per second, which is what "no drift correction" must never do.
 */
export class FollowController {
  readonly bands: DriftBands
  readonly #seekLatency: () => number
  #version: number | undefined
  #lastPlayAt = Number.NEGATIVE_INFINITY

  /** `seekLatency`: seconds a seek is expected to take (the drift controller's learned estimate). */
  constructor(bands: Partial<DriftBands> = {}, seekLatency: () => number = () => DEFAULT_BANDS.initialSeekLatency) {
    this.bands = { ...DEFAULT_BANDS, ...bands }
    this.#seekLatency = seekLatency
  }

  /**
   * Treats shared state `version` as already followed: auto-sync was switched off while the
   * element was on it, so there is nothing to follow until the room changes something.
   */
  adopt(version: number): void {
    this.#version = version
  }

  /** The element now holds other media: the shared state is followed afresh on it. */
  onNewMedia(): void {
    this.#version = undefined
    this.#lastPlayAt = Number.NEGATIVE_INFINITY
  }

  tick(now: number, target: SyncTarget, media: MediaSnapshot): SyncDecision {
    const b = this.bands
    const drift = media.currentTime - target.position
    const fresh = target.version !== this.#version
    this.#version = target.version
    const actions: MediaAction[] = []
    if (target.status === 'paused') {
      if (!media.paused) actions.push({ type: 'pause' })
      if (fresh && Math.abs(drift) > b.pausedTolerance) actions.push({ type: 'seek', position: target.position })
    } else {
      // A jump is a jump; a smaller difference is drift, which is not corrected. A paused element
      // is moved to the exact spot before it starts, since seeking it is invisible.
      const far = Math.abs(drift) > (media.paused ? b.nudgeEnter : b.seekEnter)
      if (fresh && far) actions.push({ type: 'seek', position: seekAim(target, this.#seekLatency()) })
    }
    if (media.playbackRate !== target.rate) actions.push({ type: 'rate', rate: target.rate })
    // A refused or lost play() is asked for again, as the drift controller does.
    if (target.status === 'playing' && media.paused && (fresh || now - this.#lastPlayAt >= b.playRetryMs)) {
      actions.push({ type: 'play' })
      this.#lastPlayAt = now
    }
    return { actions, status: 'off', mode: 'off', drift }
  }
}
