import { DEFAULT_BANDS, seekAim, type DriftBands } from './drift-bands.ts'
import { RateTrim, type RateTrimOptions } from './rate-trim.ts'
import { SeekLatency } from './seek-latency.ts'
import type { ControllerMode, MediaAction, MediaSnapshot, SyncDecision, SyncStatus, SyncTarget } from './sync-decision.ts'

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
  readonly #seekLatency: SeekLatency
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
    this.#seekLatency = new SeekLatency(this.bands)
    this.#trim = new RateTrim(trim)
  }

  get mode(): ControllerMode {
    return this.#mode
  }

  /** Current estimate of how long the element takes to seek, seconds. */
  get seekLatency(): number {
    return this.#seekLatency.seconds
  }

  /** Learned relative speed error compensation of the element (see rate-trim.ts). */
  get rateTrim(): number {
    return this.#trim.trim
  }

  get stats(): Readonly<ControllerStats> {
    return this.#stats
  }

  /**
   * The element now holds other media (a source change): what the controller knew of the old
   * one — a seek or start in flight, the paused alignment already made, the seek backoff — says
   * nothing about it. What it learned of the element (seek latency, rate trim) is kept.
   */
  onNewMedia(): void {
    this.#mode = 'idle'
    this.#calibrateOnSettle = false
    this.#seeksInRow = 0
    this.#nextSeekAllowedAt = Number.NEGATIVE_INFINITY
    this.#lastPlayAt = Number.NEGATIVE_INFINITY
    this.#pausedSeekVersion = undefined
    this.#trim.discard()
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
      if (this.#calibrateOnSettle) this.#seekLatency.learn(drift, target.rate)
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
    actions.push({ type: 'seek', position: seekAim(target, this.#seekLatency.seconds) })
    this.#ensureRate(this.#idleRate(target), media, actions)
    this.#stats.hardSeeks++
    this.#mode = 'seeking'
    this.#calibrateOnSettle = true
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
