import { Throttle, browserTimers } from '$lib/live/index.ts'
import { pageClock } from './page-clock.ts'

/** Another viewer's drag on the timeline. */
export interface ScrubMarker {
  userId: string
  position: number
  /** local ms of the last preview */
  seenAt: number
}

const SCRUB_FRAME_MS = 100
/** a drag held still re-sends its position this often, so others keep seeing the marker */
const SCRUB_HOLD_MS = 700
/** a preview marker with no news for this long is removed (the drag was abandoned) */
const SCRUB_MARKER_TTL_MS = 2000

export interface ScrubOptions {
  /** sends a preview frame */
  preview(position: number): void
  /** the one seek at the end of a drag */
  seek(position: number): Promise<unknown>
  mayScrub(): boolean
  clamp(position: number): number
}

/** Drags on the timeline: this viewer's (a live preview for everyone, then one seek) and others' markers. */
export class Scrub {
  /** others' drags */
  markers: ScrubMarker[] = $state.raw([])
  /** where this viewer drags the timeline, null when not dragging */
  dragPosition: number | null = $state(null)
  readonly #o: ScrubOptions
  readonly #sender: Throttle<number>
  #holdTimer: ReturnType<typeof setInterval> | undefined

  constructor(options: ScrubOptions) {
    this.#o = options
    this.#sender = new Throttle(SCRUB_FRAME_MS, (position) => options.preview(position), browserTimers, () => pageClock.now())
  }

  /** The viewer drags the timeline: a live preview for everyone, no seek yet. */
  scrubTo(position: number): void {
    if (!this.#o.mayScrub()) return
    const clamped = this.#o.clamp(position)
    this.dragPosition = clamped
    this.#sender.offer(clamped)
    if (this.#holdTimer === undefined) {
      this.#holdTimer = setInterval(() => {
        if (this.dragPosition !== null) this.#sender.offer(this.dragPosition)
      }, SCRUB_HOLD_MS)
    }
  }

  /** The drag ended: one seek for everyone (none when cancelled). */
  async scrubEnd(commit: boolean): Promise<void> {
    this.#stopSending()
    const position = this.dragPosition
    if (commit && position !== null) await this.#o.seek(position)
    this.dragPosition = null
  }

  /** Someone else's preview frame. */
  onPreview(userId: string, position: number): void {
    const seenAt = pageClock.now()
    this.markers = [...this.markers.filter((s) => s.userId !== userId), { userId, position, seenAt }]
  }

  /** Their seek landed: the drag is over. */
  onSeeked(userId: string): void {
    this.markers = this.markers.filter((s) => s.userId !== userId)
  }

  /** Removes markers of drags that were abandoned. */
  expire(now: number): void {
    if (this.markers.some((s) => now - s.seenAt > SCRUB_MARKER_TTL_MS)) {
      this.markers = this.markers.filter((s) => now - s.seenAt <= SCRUB_MARKER_TTL_MS)
    }
  }

  destroy(): void {
    this.#stopSending()
  }

  #stopSending(): void {
    clearInterval(this.#holdTimer)
    this.#holdTimer = undefined
    this.#sender.cancel()
  }
}
