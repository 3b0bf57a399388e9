import { SyncEngine, applyActions, snapshotOf, type SyncDecision, type SyncStatus } from '$lib/sync/index.ts'
import { pageClock } from './page-clock.ts'

const TICK_MS = 250
/** HTMLMediaElement.HAVE_METADATA */
const HAVE_METADATA = 1
/** HTMLMediaElement.NETWORK_EMPTY: the element has no source */
const NETWORK_EMPTY = 0
const MEDIA_EVENTS = ['loadedmetadata', 'seeked', 'playing', 'waiting', 'canplay']

/** What one tick of the sync loop saw and did. */
export interface PlayerTick {
  now: number
  /** false until the element knows the duration of the room's video (nothing was decided) */
  ready: boolean
  /** not ready because the element is loading the room's video (after a source change) */
  loading?: boolean
  decision?: SyncDecision
  /** the element waits for data */
  buffering?: boolean
}

/**
 * The page's `<video>` and the sync loop that drives it: every 250 ms and on media events the
 * sync engine compares the element with the shared timeline and the actions it returns are
 * applied. `onTick` hears of every tick.
 */
export class SyncedPlayer {
  readonly engine: SyncEngine
  currentTime = $state(0)
  duration = $state(0)
  syncStatus: SyncStatus = $state('in-sync')
  /** the browser refused to start the video without a click (autoplay policy) */
  needsClick = $state(false)
  /**
   * Drift correction on this page: starts as the profile's "keep my player in sync", and the
   * toggle next to the badge changes it for this page only (the profile is not saved).
   */
  autoSync = $state(true)
  #video: HTMLVideoElement | undefined
  readonly #onTick: (tick: PlayerTick) => void
  /** the item the room plays now */
  readonly #roomItem: () => string
  /** the item whose source the element was given last */
  #mediaItem: string | undefined
  /** the item whose media the engine drives: `#mediaItem` once its metadata is there */
  #readyItem: string | undefined

  /** `roomItem`: the id of the item the room plays now (`room.view.nowPlaying.itemId`) */
  constructor(autoSync: boolean, onTick: (tick: PlayerTick) => void, roomItem: () => string) {
    // "keep my player in sync" off: follow play, pause, jumps and rate changes, correct no drift
    this.engine = new SyncEngine(pageClock, { autoSync })
    this.autoSync = autoSync
    this.#onTick = onTick
    this.#roomItem = roomItem
  }

  /**
   * The element was emptied and is given (or waits for) the source of item `itemId`: until its
   * metadata is there the engine drives nothing, so no seek or play meant for the new video
   * lands on the old one (docs/sync.md, "A source change").
   */
  mediaChanging(itemId: string): void {
    this.#mediaItem = itemId
    this.#readyItem = undefined
  }

  get video(): HTMLVideoElement | undefined {
    return this.#video
  }

  /** Runs the sync loop on `video`; returns the teardown. */
  attach(video: HTMLVideoElement): () => void {
    this.#video = video
    const onMedia = () => this.tick()
    for (const name of MEDIA_EVENTS) video.addEventListener(name, onMedia)
    const timer = setInterval(() => this.tick(), TICK_MS)
    return () => {
      clearInterval(timer)
      for (const name of MEDIA_EVENTS) video.removeEventListener(name, onMedia)
      this.#video = undefined
    }
  }

  tick(): void {
    const video = this.#video
    if (!video) return
    const now = pageClock.now()
    this.currentTime = video.currentTime
    this.duration = this.knownDuration() ?? 0
    if (video.readyState >= HAVE_METADATA && this.#readyItem !== this.#mediaItem) {
      this.#readyItem = this.#mediaItem
      this.engine.onNewMedia()
    }
    if (video.readyState < HAVE_METADATA || this.#readyItem === undefined || this.#readyItem !== this.#roomItem()) {
      const loading = this.#mediaItem === this.#roomItem() && video.networkState !== NETWORK_EMPTY && video.error === null
      return this.#onTick({ now, ready: false, loading })
    }
    const media = snapshotOf(video)
    const decision = this.engine.tick(media, this.knownDuration())
    if (decision) {
      applyActions(video, decision.actions, (error) => {
        if ((error as { name?: string } | null)?.name === 'NotAllowedError') this.needsClick = true
      })
      this.syncStatus = decision.status
    }
    this.#onTick({ now, ready: true, decision, buffering: media.buffering })
  }

  /** Where the room's video is now (seconds), by the server's clock. */
  sharedPosition(): number {
    return this.engine.expectedPosition(this.knownDuration()) ?? this.#video?.currentTime ?? 0
  }

  /** A click is a user gesture: the browser lets the video start now. */
  playOnGesture(): void {
    this.needsClick = false
    this.#video?.play().catch(() => {})
  }

  /** After the browser refused to autoplay: the click that lets the video start. */
  startAfterClick(): void {
    this.needsClick = false
    this.#video?.play().catch(() => (this.needsClick = true))
  }

  /** The Auto-sync toggle: drift correction on or off, at once and for this page only. */
  setAutoSync(on: boolean): void {
    this.autoSync = on
    this.engine.setAutoSync(on)
    // the badge and the element's rate change now, not at the next 250 ms tick
    this.tick()
  }

  knownDuration(): number | undefined {
    const d = this.#video?.duration
    return d !== undefined && Number.isFinite(d) && d > 0 ? d : undefined
  }

  /** `position` kept within the video. */
  clamp(position: number): number {
    const duration = this.knownDuration()
    return Math.max(0, duration === undefined ? position : Math.min(duration, position))
  }
}
