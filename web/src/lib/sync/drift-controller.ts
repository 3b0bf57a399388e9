import type { PlaybackState } from '@tandem/contracts'
import { RateTrim, type RateTrimOptions } from './rate-trim.ts'

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

/** Thresholds of the three bands; docs/sync.md explains each value. Drifts in seconds. */
export interface DriftBands {
  /** Drift this small is left alone; above it a nudge starts. */
  nudgeEnter: number
  /** A nudge stops once the drift is below this or has changed sign. */
  nudgeExit: number
  /** A nudge aims to remove the drift within this many seconds (proportional control). */
  nudgeHorizon: number
  /** Smallest and largest relative rate change of a nudge (0.01 = 1 %). */
  minNudge: number
  maxNudge: number
  /** Nudge rates are multiples of this step, so the rate does not change on every tick. */
  nudgeStep: number
  /** Above this drift a hard seek is made (when the seek backoff allows one). */
  seekEnter: number
  /**
   * After a seek that overshot, a seek back needs `seekEnter × repeatSeekFactor ^ seeks so far`
   * (1 turns this protection off).
   */
  repeatSeekFactor: number
  /** After a seek lands or playback starts, watch this long before acting again (ms). */
  settleMs: number
  /** Minimum gap between corrective seeks with no new shared state, doubling per repeat (ms). */
  seekBackoffMs: number
  seekBackoffMaxMs: number
  /** First guess of the element's seek latency (seconds); learned from every seek after. */
  initialSeekLatency: number
  maxSeekLatency: number
  /**
   * The latency estimate is the median of this many recent measurements (robust to one slow
   * seek); until there are that many, the first guess counts as two of them.
   */
  seekLatencySamples: number
  /** While paused, the element is moved to the shared frame if further away than this. */
  pausedTolerance: number
  /** Reported as in sync while within this. */
  inSyncTolerance: number
  /** If play() has not taken effect after this long, it is asked for again (ms). */
  playRetryMs: number
  /** While in sync, the rate trim is re-estimated at least this often (ms). */
  trimIntervalMs: number
}

export const DEFAULT_BANDS: DriftBands = {
  nudgeEnter: 0.02,
  nudgeExit: 0.003,
  nudgeHorizon: 1.5,
  minNudge: 0.01,
  maxNudge: 0.08,
  nudgeStep: 0.0025,
  seekEnter: 0.4,
  repeatSeekFactor: 2,
  settleMs: 250,
  seekBackoffMs: 1000,
  seekBackoffMaxMs: 16_000,
  initialSeekLatency: 0.12,
  maxSeekLatency: 1.0,
  seekLatencySamples: 5,
  pausedTolerance: 0.02,
  inSyncTolerance: 0.05,
  playRetryMs: 2000,
  trimIntervalMs: 20_000,
}

/** Where to seek: ahead of the expected position by the time the seek itself will take. */
export function seekAim(target: SyncTarget, seekLatency: number): number {
  return Math.max(0, target.position + seekLatency * target.rate)
}

export interface ControllerStats {
  /** corrective seeks while playing (not counting the one-off alignment when paused) */
  hardSeeks: number
  pausedSeeks: number
  rateChanges: number
  plays: number
  pauses: number
}

/**
 * Keeps a media element on the shared timeline. Call `tick` periodically (every ~250 ms) and on
 * media events; it returns the actions to apply. It owns no timers and reads no clock: `now`
 * (local ms) comes in with every call.
 *
 * Why the bands cannot fight: a seek is only made above `seekEnter`, which is far above the
 * largest error a seek itself leaves behind (the error of the seek-latency estimate), and a
 * second corrective seek waits for a backoff that doubles each time. A nudge starts above
 * `nudgeEnter` and ends below `nudgeExit` or on a sign change, and its rate change per tick is
 * far smaller than that gap, so it cannot overshoot into a nudge the other way. Nothing acts
 * while a seek is landing, during the settle window after it, or while the element buffers.
 */
export class DriftController {
  readonly bands: DriftBands
  #mode: ControllerMode = 'idle'
  #version: number | undefined
  #seekLatency: number
  readonly #seekLatencies: number[] = []
  /** the settle window ends a seek of ours whose landing error teaches the latency estimate */
  #calibrateOnSettle = false
  #settleUntil = 0
  #seeksInRow = 0
  #nextSeekAllowedAt = Number.NEGATIVE_INFINITY
  #nudgeSign = 0
  #lastSeekSign = 0
  #lastPlayAt = Number.NEGATIVE_INFINITY
  #pausedSeekVersion: number | undefined
  readonly #trim: RateTrim
  #trimObserved = false
  readonly #stats: ControllerStats = { hardSeeks: 0, pausedSeeks: 0, rateChanges: 0, plays: 0, pauses: 0 }

  constructor(bands: Partial<DriftBands> = {}, trim: Partial<RateTrimOptions> = {}) {
    this.bands = { ...DEFAULT_BANDS, ...bands }
    this.#seekLatency = this.bands.initialSeekLatency
    this.#trim = new RateTrim(trim)
  }

  get mode(): ControllerMode {
    return this.#mode
  }

  /** Current estimate of how long the element takes to seek, seconds. */
  get seekLatency(): number {
    return this.#seekLatency
  }

  /** Learned relative speed error compensation of the element (see rate-trim.ts). */
  get rateTrim(): number {
    return this.#trim.trim
  }

  get stats(): Readonly<ControllerStats> {
    return this.#stats
  }

  tick(now: number, target: SyncTarget, media: MediaSnapshot): SyncDecision {
    const drift = media.currentTime - target.position
    const fresh = target.version !== this.#version
    if (fresh) {
      this.#version = target.version
      this.#seeksInRow = 0
      this.#nextSeekAllowedAt = Number.NEGATIVE_INFINITY
      this.#calibrateOnSettle = false
      // drift samples from before the change say nothing about the element's speed after it
      this.#trim.discard()
      if (this.#mode !== 'buffering' && this.#mode !== 'starting') this.#mode = 'idle'
    }
    const actions: MediaAction[] = []
    this.#trimObserved = false
    const status =
      target.status === 'paused'
        ? this.#holdPaused(target, media, drift, actions)
        : this.#followPlaying(now, target, media, drift, fresh, actions)
    // The trim learns only from stretches where the element played untouched.
    if (!this.#trimObserved) this.#trim.discard()
    return { actions, status, mode: this.#mode, drift }
  }

  #holdPaused(target: SyncTarget, media: MediaSnapshot, drift: number, actions: MediaAction[]): SyncStatus {
    this.#mode = 'paused'
    this.#calibrateOnSettle = false
    if (!media.paused) {
      actions.push({ type: 'pause' })
      this.#stats.pauses++
    }
    this.#ensureRate(target.rate, media, actions)
    // One alignment per shared state: a paused element that will not land exactly (some
    // browsers snap to frames) must not be seeked again and again.
    if (Math.abs(drift) > this.bands.pausedTolerance && this.#pausedSeekVersion !== target.version) {
      actions.push({ type: 'seek', position: target.position })
      this.#pausedSeekVersion = target.version
      this.#stats.pausedSeeks++
    }
    const settled = actions.length === 0 && !media.seeking
    return settled && Math.abs(drift) <= this.bands.inSyncTolerance ? 'in-sync' : 'correcting'
  }

  #followPlaying(
    now: number,
    target: SyncTarget,
    media: MediaSnapshot,
    drift: number,
    fresh: boolean,
    actions: MediaAction[],
  ): SyncStatus {
    const b = this.bands
    if (media.paused) {
      if (this.#mode !== 'starting' || now - this.#lastPlayAt >= b.playRetryMs) {
        // Seeking a paused element is invisible, so a start is also the moment to land exactly.
        if (Math.abs(drift) > b.nudgeEnter) this.#seek(target, media, actions)
        this.#ensureRate(this.#idleRate(target), media, actions)
        actions.push({ type: 'play' })
        this.#stats.plays++
        this.#lastPlayAt = now
        this.#mode = 'starting'
      }
      return 'correcting'
    }

    const ownSeekInFlight = this.#mode === 'seeking' || this.#mode === 'starting'
    if (media.seeking || (media.buffering && ownSeekInFlight)) {
      // A new shared state does not wait for a seek that is now aimed at the wrong place.
      if (fresh && Math.abs(drift) > b.seekEnter) this.#seek(target, media, actions)
      else if (!ownSeekInFlight) this.#mode = 'seeking'
      return media.buffering && !media.seeking ? 'buffering' : 'correcting'
    }
    if (media.buffering) {
      this.#mode = 'buffering'
      this.#calibrateOnSettle = false
      return 'buffering'
    }

    if (fresh) {
      // someone in the room acted: respond now, not after a settle window of our own
      this.#mode = 'idle'
    } else if (this.#mode === 'seeking' || this.#mode === 'starting' || this.#mode === 'buffering') {
      this.#mode = 'settling'
      this.#settleUntil = now + b.settleMs
    }
    if (this.#mode === 'settling') {
      if (now < this.#settleUntil) return 'correcting'
      if (this.#calibrateOnSettle) this.#learnSeekLatency(drift, target.rate)
      this.#calibrateOnSettle = false
      this.#mode = 'idle'
    }

    this.#correct(now, target, media, drift, actions)
    const inSync =
      (this.#mode === 'idle' || this.#mode === 'nudging') && Math.abs(drift) <= b.inSyncTolerance
    return inSync ? 'in-sync' : 'correcting'
  }

  #correct(now: number, target: SyncTarget, media: MediaSnapshot, drift: number, actions: MediaAction[]): void {
    const b = this.bands
    const size = Math.abs(drift)
    // A seek that overshot (the drift changed sign) is not answered by a seek the other way
    // unless the drift is twice as large as before: when seeks land unreliably (random latency,
    // unbuffered data) seeking back and forth is the fight users hate, and nudging finishes the
    // job. A seek that fell short (same sign) may be repeated, after the time backoff.
    const sign = Math.sign(drift)
    const overshot = this.#seeksInRow > 0 && sign !== this.#lastSeekSign
    const seekThreshold = overshot ? b.seekEnter * b.repeatSeekFactor ** this.#seeksInRow : b.seekEnter
    if (size > seekThreshold && now >= this.#nextSeekAllowedAt) {
      this.#seek(target, media, actions)
      this.#lastSeekSign = sign
      this.#seeksInRow++
      this.#nextSeekAllowedAt = now + Math.min(b.seekBackoffMaxMs, b.seekBackoffMs * 2 ** (this.#seeksInRow - 1))
      return
    }
    if (this.#mode === 'nudging' && (size < b.nudgeExit || sign !== this.#nudgeSign)) {
      this.#mode = 'idle'
    } else if (this.#mode === 'idle' && size > b.nudgeEnter) {
      this.#mode = 'nudging'
      this.#nudgeSign = sign
    }
    if (this.#mode === 'idle' && size < b.nudgeEnter) this.#seeksInRow = 0

    const wanted = this.#wantedRate(target, media, size)
    if (Math.abs(wanted - media.playbackRate) > 1e-9) {
      // The stretch played at the old rate is evidence of the element's speed error: learn
      // from it before it ends (this is what turns a sawtooth of nudges into one trim).
      this.#trim.update(target.rate, media.playbackRate / target.rate)
      this.#ensureRate(this.#wantedRate(target, media, size), media, actions)
      return
    }
    this.#trim.observe(now, drift)
    this.#trimObserved = true
    if (this.#mode === 'idle' && this.#trim.spanMs >= b.trimIntervalMs) {
      this.#trim.update(target.rate, media.playbackRate / target.rate)
      this.#ensureRate(this.#idleRate(target), media, actions)
    }
  }

  /** The rate the element should play at now; a running nudge keeps its rate unless it is clearly off. */
  #wantedRate(target: SyncTarget, media: MediaSnapshot, size: number): number {
    const b = this.bands
    const idle = this.#idleRate(target)
    if (this.#mode !== 'nudging') return idle
    const wanted = Math.min(b.maxNudge, Math.max(b.minNudge, size / b.nudgeHorizon))
    const current = -this.#nudgeSign * (media.playbackRate / idle - 1)
    // Hysteresis of one step, so that read noise does not flip the rate back and forth.
    if (current > 0 && Math.abs(wanted - current) <= b.nudgeStep) return media.playbackRate
    const stepped = Math.round(wanted / b.nudgeStep) * b.nudgeStep
    // Ahead (positive drift) plays slower, behind plays faster.
    return idle * (1 - this.#nudgeSign * stepped)
  }

  #seek(target: SyncTarget, media: MediaSnapshot, actions: MediaAction[]): void {
    actions.push({ type: 'seek', position: seekAim(target, this.#seekLatency) })
    this.#ensureRate(this.#idleRate(target), media, actions)
    this.#stats.hardSeeks++
    this.#mode = 'seeking'
    this.#calibrateOnSettle = true
  }

  /**
   * A seek aimed `seekLatency` ahead lands with drift (estimate − actual latency) × rate, so the
   * drift measured after settling tells what the latency really was.
   */
  #learnSeekLatency(drift: number, rate: number): void {
    const b = this.bands
    const measured = Math.min(b.maxSeekLatency, Math.max(0, this.#seekLatency - drift / rate))
    this.#seekLatencies.push(measured)
    if (this.#seekLatencies.length > b.seekLatencySamples) this.#seekLatencies.shift()
    const votes = [...this.#seekLatencies]
    if (votes.length < b.seekLatencySamples) votes.push(b.initialSeekLatency, b.initialSeekLatency)
    const sorted = votes.sort((x, y) => x - y)
    const middle = sorted.length / 2
    this.#seekLatency =
      sorted.length % 2 === 1
        ? (sorted[Math.floor(middle)] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
  }

  /** The session's rate, corrected for the element's own speed error. */
  #idleRate(target: SyncTarget): number {
    return target.rate * (1 + this.#trim.trim)
  }

  /** Adds a rate action unless the element already plays at `rate`; true if it added one. */
  #ensureRate(rate: number, media: MediaSnapshot, actions: MediaAction[]): boolean {
    if (Math.abs(media.playbackRate - rate) <= 1e-9 || actions.some((a) => a.type === 'rate')) return false
    actions.push({ type: 'rate', rate })
    this.#stats.rateChanges++
    return true
  }
}
